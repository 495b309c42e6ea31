#@ File (label = "Folder of images", style = "directory") input
#@ File (label = "Model file", style = "open") model
#@ File (label = "Output folder", style = "directory") output
#@ String (label = "Region", choices = {"whole image", "selection", "boxes in overlay"}) region
#@ CommandService commands
#@ LogService log

# Batch detection from Fiji's script editor (Python, i.e. Jython): the same as Batch_Detect.groovy.
# Every image of a folder through one model; an annotated TIFF and a CSV per image. Unreadable files
# are logged and skipped.
import os
from java.io import File
from ij import IJ
from ij.io import FileSaver
from io.github.keypointj.commands import DetectKeypoints

for name in sorted(os.listdir(input.getPath())):
    path = os.path.join(input.getPath(), name)
    if not os.path.isfile(path):
        continue
    image = IJ.openImage(path)
    if image is None:
        log.warn("skipped %s: not an image ImageJ can read" % name)
        continue
    base = os.path.splitext(name)[0]
    module = commands.run(DetectKeypoints, True, "imp", image, "model", model, "all_slices", True,
                          "region", region, "show_table", False,
                          "csv_file", File(output, base + "-keypoints.csv"), "device", "auto").get()
    if module.isCanceled():
        log.warn("skipped %s: %s" % (name, module.getCancelReason()))
        continue
    FileSaver(image).saveAsTiff(File(output, base + "-keypoints.tif").getPath())
    log.info("%s: keypoints written" % name)
