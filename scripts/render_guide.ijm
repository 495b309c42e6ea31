// Renders the README's pictures headless, from the shipped models and sample images only:
//   scripts/imagej --headless -macro scripts/render_guide.ijm [docs/guide]
// In Fiji: ImageJ-linux64 --headless -macro scripts/render_guide.ijm [docs/guide], from the repository.
var out = getArgument();
if (out == "") out = "docs/guide";
File.makeDirectory(out);
face = "sample-images/models/300w-face-68-heatmap.zip";
report = "sample-images/models/300w-face-68.zip";

// Keypoints found by the heatmap model on each sample photo with no box at all: it finds every face itself.
photos = newArray("grace_hopper.jpg", "astronaut.png", "camera.png", "two-faces.jpg");
for (i = 0; i < photos.length; i++) {
	open("sample-images/photos/" + photos[i]);
	run("Detect Keypoints", "model=[" + face + "] all_slices=false region=[whole image] show_table=false device=auto refine_rounds=3");
	flattenAndSave("detect-" + File.getNameWithoutExtension(photos[i]));
}
// The report's ResNet18 in the face box of sample-images/face-boxes.csv, and with no box (it then settles
// on the neck, see docs/RESULTS.md).
boxes = split(File.openAsString("sample-images/face-boxes.csv"), "\n");
b = split(boxes[3], ","); // grace_hopper.jpg
open("sample-images/photos/" + b[0]);
makeRectangle(parseFloat(b[1]), parseFloat(b[2]), parseFloat(b[3]), parseFloat(b[4]));
run("Detect Keypoints", "model=[" + report + "] all_slices=false region=selection show_table=false device=auto");
run("Select None");
flattenAndSave("detect-resnet-grace_hopper");
open("sample-images/photos/grace_hopper.jpg");
run("Detect Keypoints", "model=[" + report + "] all_slices=false region=[whole image] show_table=false device=auto refine_rounds=3");
flattenAndSave("detect-no-box");

// Training and validation loss of the shipped IMM face model, the heatmap model's first-layer filters.
run("Show Training History", "model=[sample-images/models/imm-face-58.zip]");
flattenAndSave("loss-curves");
run("Show Learned Filters", "model=[" + face + "] zoom=6");
flattenAndSave("filters");

// Best and worst examples and augmented training samples, on the demo stack (made-up spots).
open("sample-images/spots.tif");
spots = getTitle();
run("Evaluate Keypoint Model", "model=[sample-images/models/spots-nosenet.zip] planes=all examples=3 device=auto");
montage("best-worst", 6, 2);
selectImage(spots);
run("Preview Training Samples", "architecture=FaceNet input_width=160 input_height=120 augment=true samples=8 seed=1");
montage("training-samples", 4, 1);
close("*");
print("Wrote the guide's pictures to " + out);

function flattenAndSave(name) {
	run("Flatten");
	saveAs("PNG", out + "/" + name + ".png");
	close("*");
}

// A stack with keypoint overlays as one picture: each plane with its overlay, tiled.
function montage(name, columns, scale) {
	stack = getImageID();
	problem = call("io.github.keypointj.commands.MacroFunctions.montage", columns, scale); // Make Montage... needs a dialog
	if (problem != "") exit(name + ": " + problem);
	saveAs("PNG", out + "/" + name + ".png");
	close();
	selectImage(stack);
	close();
}
