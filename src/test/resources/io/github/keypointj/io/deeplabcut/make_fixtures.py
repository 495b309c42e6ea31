"""Writes the DeepLabCut .h5 fixtures of DeepLabCutLabelsTest the way DeepLabCut does: a pandas DataFrame with
MultiIndex columns (scorer / [individuals /] bodyparts / coords), stored with DataFrame.to_hdf under the key
"df_with_missing" in pandas' default fixed format. Each holds the same labels as a CSV of the test, so that the
test can compare the two imports. Needs pandas and PyTables (Debian: python3-pandas python3-tables).

    /usr/bin/python3 make_fixtures.py   # in this folder
"""
import numpy as np
import pandas as pd

nan = np.nan

# As DeepLabCut 2.2+ writes a single-animal project: the frame's path as three index levels.
single = pd.DataFrame(
    [[10.5, 20, 14, 18, 40, 30],
     [11.5, 21, nan, nan, 41, 31],  # the left ear hidden
     [12, 22, 15, 19, 42, 32],
     [12, 22, 15, 19, 42, 32],
     [nan] * 6],
    index=pd.MultiIndex.from_tuples([("labeled-data", "mouse1", f) for f in
                                     ["img0.png", "img1.png", "img2.png", "gone.png", "img3.png"]]),
    columns=pd.MultiIndex.from_product([["me"], ["nose", "leftear", "tail"], ["x", "y"]],
                                       names=["scorer", "bodyparts", "coords"]))
single.to_hdf("CollectedData_me.h5", key="df_with_missing", mode="w")

# A multi-animal project with unique bodyparts, its frames as one path (DeepLabCut 2.0-2.1), a bodypart
# named outside ASCII.
columns = [("me", animal, part, axis) for animal, parts in [("mus1", ["nose", "schwänzchen"]),
                                                             ("mus2", ["nose", "schwänzchen"]),
                                                             ("single", ["feeder"])]
           for part in parts for axis in ["x", "y"]]
multi = pd.DataFrame(
    [[5, 6, 20, 21, 40, 41, 50, 45, 30, 30],
     [7, 8, 22, 23, nan, nan, nan, nan, 30, 30]],  # mus2 out of view
    index=["labeled-data/cage/img0.png", "labeled-data/cage/img1.png"],
    columns=pd.MultiIndex.from_tuples(columns, names=["scorer", "individuals", "bodyparts", "coords"]))
multi.to_hdf("CollectedData_ma.h5", key="df_with_missing", mode="w")
