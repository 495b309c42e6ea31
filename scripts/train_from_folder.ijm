// Train a keypoint model from a folder of annotated images, evaluate it and save model and table.
// The folder holds images with .pts files (iBUG 300-W style, any number of points; subfolders too)
// or with .asf files (IMM Face Database).
//   scripts/imagej --headless -macro scripts/train_from_folder.ijm "input=[/data/wings] format=pts architecture=NoseNet size=128 epochs=0 validation=0.2 output=[wing-model]"
// format: pts (cut a square around each object: margin x its points' box, resampled to size) or asf.
// epochs=0 and batch_size=0 take the architecture's recipe from the report.
// Writes output/model.zip (+ its checkpoint), output/evaluation.csv, output/summary.csv, output/loss.png.
var arguments = getArgument();
input = option("input", "");
format = option("format", "pts");
architecture = option("architecture", "NoseNet");
size = option("size", "256");
margin = option("margin", "2");
epochs = option("epochs", "0");
batch = option("batch_size", "0");
validation = option("validation", "0.2");
keypoints = option("keypoints", "all");
seed = option("seed", "1");
device = option("device", "auto");
output = option("output", "trained-model");
if (input == "") exit("Give input=[folder of annotated images].");
// A failed command reports its error and the macro goes on, so check first what would make training refuse.
if (File.exists(output + "/model.zip")) exit(output + "/model.zip exists: choose another output folder.");
File.makeDirectory(output);
if (format == "asf")
	run("IMM Face Database...", "folder=[" + input + "] type=[8-bit gray]");
else {
	type = "[8-bit gray]";
	if (architecture == "ResNet18") type = "RGB";
	run("Landmark Files...", "source=[" + input + "] margin=" + margin + " size=" + size + " type=" + type);
}
stack = getTitle();
print("Imported " + nSlices + " planes from " + input);
run("Train Keypoint Model", "architecture=" + architecture + " input_width=0 input_height=0 epochs=" + epochs + " batch_size=" + batch + " learning_rate=0.001 augment=true keypoints=[" + keypoints + "] validation=[" + validation + "] seed=" + seed + " device=" + device + " output=[" + output + "/model.zip] overwrite=false");
failure = call("io.github.keypointj.commands.MacroFunctions.lastError");
if (failure != "") {
	call("io.github.keypointj.commands.MacroFunctions.exitOnFailure"); // headless Fiji: exit code 1
	exit("Training failed: " + failure);
}
run("Evaluate Keypoint Model", "model=[" + output + "/model.zip] planes=all examples=0 csv_file=[" + output + "/evaluation.csv] summary_file=[" + output + "/summary.csv] device=" + device);
run("Show Training History", "model=[" + output + "/model.zip]");
saveAs("PNG", output + "/loss.png");
close();
print("Wrote " + output + "/model.zip, evaluation.csv, summary.csv and loss.png");
failed = call("io.github.keypointj.commands.MacroFunctions.exitOnFailure"); // kept: Fiji prints a last statement's value

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
