// The README's main job: detect keypoints on the sample stack with the shipped demo model,
// write the annotated stack and a CSV to an output folder, and compare with the stack's own annotations.
// Run: scripts/imagej --headless -macro scripts/detect_demo.ijm [output folder]
// (in Fiji: ImageJ-linux64 --headless -macro scripts/detect_demo.ijm [output folder], from the repository)
output = getArgument();
if (output == "") output = "output";
File.makeDirectory(output);
open("sample-images/spots.tif");
run("Detect Keypoints", "model=[sample-images/models/spots-nosenet.zip] all_slices=true region=[whole image] show_table=false csv_file=[" + output + "/spots-keypoints.csv] overwrite=true device=auto");

// Each plane holds the user's annotation and KeypointJ's detection: compare them.
total = 0; count = 0;
for (plane = 1; plane <= nSlices; plane++) {
	truthX = newArray(0); truthY = newArray(0); foundX = newArray(0); foundY = newArray(0);
	for (i = 0; i < Overlay.size; i++) {
		Overlay.activateSelection(i);
		if (getSliceNumber() != plane) continue;
		getSelectionCoordinates(x, y);
		if (Roi.getProperty("keypointj") == "detected") { foundX = x; foundY = y; }
		else { truthX = x; truthY = y; }
	}
	for (k = 0; k < lengthOf(foundX); k++) {
		total += sqrt(pow(foundX[k] - truthX[k], 2) + pow(foundY[k] - truthY[k], 2));
		count++;
	}
}
run("Select None");
saveAs("Tiff", output + "/spots-detected.tif");
print("Detected " + count + " keypoints on " + nSlices + " planes; mean distance to the annotations: " + d2s(total / count, 2) + " px");
print("Wrote " + output + "/spots-detected.tif and " + output + "/spots-keypoints.csv");
