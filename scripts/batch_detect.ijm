// Batch detection: every image of a folder (any mix of sizes and types) through one model.
// For each image an annotated TIFF (the keypoints in its overlay) and one CSV with all keypoints:
// file,point,name,x,y (image pixels). A file that cannot be read is reported and skipped.
//   scripts/imagej --headless -macro scripts/batch_detect.ijm "input=[sample-images/photos] model=[sample-images/models/spots-nosenet.zip] output=[batch-output] region=[whole image]"
// In Fiji: ImageJ-linux64 --headless -macro scripts/batch_detect.ijm "input=[...] model=[...] output=[...]"
var arguments = getArgument();
input = option("input", "sample-images/photos");
model = option("model", "sample-images/models/spots-nosenet.zip");
output = option("output", "batch-output");
region = option("region", "whole image");
device = option("device", "auto");
File.makeDirectory(output);
files = getFileList(input);
table = "file,point,name,x,y\n";
done = 0; skipped = 0;
for (i = 0; i < files.length; i++) {
	path = input + "/" + files[i];
	if (File.isDirectory(path)) continue;
	showProgress(i, files.length);
	problem = call("io.github.keypointj.io.MacroFunctions.open", path); // open() would abort the batch on a bad file
	if (problem != "") {
		print("skipped " + files[i] + ": " + problem);
		skipped++;
		continue;
	}
	csv = output + "/" + files[i] + ".keypoints.csv";
	run("Detect Keypoints", "model=[" + model + "] all_slices=true region=[" + region + "] show_table=false csv_file=[" + csv + "] device=" + device);
	if (File.exists(csv)) {
		lines = split(File.openAsString(csv), "\n");
		for (l = 1; l < lines.length; l++) { // Slice,Label,Object,Point,Name,X,Y
			f = split(lines[l], ",");
			table = table + files[i] + "," + f[3] + "," + f[4] + "," + f[5] + "," + f[6] + "\n";
		}
		deleted = File.delete(csv);
		saveAs("Tiff", output + "/" + File.getNameWithoutExtension(files[i]) + "-keypoints.tif");
		done++;
	} else {
		print("skipped " + files[i] + ": no keypoints (see the message above)");
		skipped++;
	}
	close("*");
	print("[" + (i + 1) + "/" + files.length + "] " + files[i]);
}
File.saveString(table, output + "/keypoints.csv");
print("Detected keypoints on " + done + " image(s), skipped " + skipped + "; wrote " + output + "/keypoints.csv");

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
