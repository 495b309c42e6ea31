// Batch detection: every image of a folder (any mix of sizes and types) through one model.
// For each image an annotated TIFF (the keypoints in its overlay) and one CSV with all keypoints:
// file,object,point,name,x,y,confidence (image pixels; object counts the objects found on an image from 1, point the keypoints from 1;
// confidence 0-1 from heatmap models, NaN from the others); with png=true (the default) also a flattened
// PNG to look at anywhere.
// A file that cannot be read is reported and skipped. boxes=[file.csv] (file,x,y,width,height) gives
// an object box per image, used as the selection (where there is none, models with an object stage find
// every object by themselves, as both shipped 300-W face models do; older box models take the image as one).
//   scripts/imagej --headless -macro scripts/batch_detect.ijm "input=[sample-images/photos] model=[sample-images/models/300w-face-68-heatmap.zip] output=[output]"
// (the README's main job; input, model and output have those defaults, region=[whole image] applies where no box is given)
// In Fiji: ImageJ-linux64 --headless -macro scripts/batch_detect.ijm "input=[...] model=[...] output=[...]"
var arguments = getArgument();
input = option("input", "sample-images/photos");
model = option("model", "sample-images/models/300w-face-68-heatmap.zip");
output = option("output", "output");
region = option("region", "whole image");
device = option("device", "auto");
png = option("png", "true");
var boxes = "";
boxFile = option("boxes", "");
if (boxFile != "") boxes = File.openAsString(boxFile);
if (!File.isDirectory(input)) {
	call("io.github.keypointj.commands.MacroFunctions.fail", "input=[" + input + "] is not a folder; nothing was detected.");
	failed = call("io.github.keypointj.commands.MacroFunctions.exitOnFailure"); // exit code 1
	exit;
}
File.makeDirectory(output);
files = getFileList(input);
table = "file,object,point,name,x,y,confidence\n";
done = 0; skipped = 0;
for (i = 0; i < files.length; i++) {
	path = input + "/" + files[i];
	if (File.isDirectory(path)) continue;
	showProgress(i, files.length);
	problem = call("io.github.keypointj.commands.MacroFunctions.open", path); // open() would abort the batch on a bad file
	if (problem != "") {
		print("skipped " + files[i] + ": " + problem);
		skipped++;
		continue;
	}
	csv = output + "/" + files[i] + ".keypoints.csv";
	where = region;
	box = boxOf(files[i]);
	if (box.length == 4) {
		makeRectangle(parseFloat(box[0]), parseFloat(box[1]), parseFloat(box[2]), parseFloat(box[3]));
		where = "selection";
	}
	run("Detect Keypoints", "model=[" + model + "] all_slices=true region=[" + where + "] show_table=false csv_file=[" + csv + "] overwrite=true device=" + device);
	run("Select None");
	if (File.exists(csv)) {
		lines = split(File.openAsString(csv), "\n");
		for (l = 1; l < lines.length; l++) { // Slice,Label,Object,Point,Name,X,Y,Confidence
			f = split(lines[l], ",");
			table = table + files[i] + "," + f[2] + "," + f[3] + "," + f[4] + "," + f[5] + "," + f[6] + "," + f[7] + "\n";
		}
		deleted = File.delete(csv);
		base = output + "/" + File.getNameWithoutExtension(files[i]) + "-keypoints";
		saveAs("Tiff", base + ".tif");
		if (png == "true") {
			run("Flatten"); // the overlay burnt into an RGB copy
			saveAs("PNG", base + ".png");
		}
		done++;
	} else {
		print("skipped " + files[i] + ": no keypoints (see the message above)");
		skipped++;
	}
	close("*");
	print("[" + (i + 1) + "/" + files.length + "] " + files[i]);
}
// whole or not at all (File.saveString writes in place: a full disk would leave half a table)
problem = call("io.github.keypointj.commands.MacroFunctions.saveText", output + "/keypoints.csv", table);
if (problem != "") print("Detected keypoints on " + done + " image(s), skipped " + skipped + "; " + problem);
else print("Detected keypoints on " + done + " image(s), skipped " + skipped + "; wrote " + output + "/keypoints.csv");
failed = call("io.github.keypointj.commands.MacroFunctions.exitOnFailure"); // headless Fiji: exit code 1 if a detection failed (kept: Fiji prints a last statement's value)

// x, y, width, height of a file's row in the boxes CSV, or an empty array.
function boxOf(name) {
	rows = split(boxes, "\n");
	for (r = 1; r < rows.length; r++) {
		fields = split(rows[r], ",");
		if (fields.length == 5 && fields[0] == name) return Array.slice(fields, 1, 5);
	}
	return newArray(0);
}

// The value of key=value or key=[value with spaces] in the macro's argument.
function option(key, fallback) {
	start = indexOf(arguments, key + "=");
	if (start < 0) return fallback;
	rest = substring(arguments, start + lengthOf(key) + 1);
	if (startsWith(rest, "[")) {
		text = substring(rest, 1, indexOf(rest, "]"));
		return text;
	}
	end = indexOf(rest, " ");
	if (end < 0) return rest;
	text = substring(rest, 0, end);
	return text;
}
