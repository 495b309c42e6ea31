// The course report's three experiments with KeypointJ's own commands, headless.
//   scripts/imagej --headless -macro scripts/reproduce_report.ijm "data=../shared/datasets out=results which=nose,face,resnet resnet_epochs=20 seed=0"
// which: any of nose, face, resnet (the report's recipes), nose-best, face-best (KeypointJ's better ones) and
// heatmap (the report's "bells and whistles": HeatmapNet on 300-W's whole training set, AFW included,
// evaluated on the LFPW and HELEN test sets; heatmap_epochs=80) and heatmap-sizes (that model trained on at
// 128, 192 and 256 px for sizes_epochs=3 epochs: the input-size study of docs/RESULTS.md) and heatmap-unmirrored
// (the heatmap recipe without mirrored samples: the mirroring study there) and heatmap-fine (the recipe
// with heatmaps at half the input: the heatmap-resolution study) and heatmap-fine-wing (that recipe with the
// Wing loss: the loss study) and heatmap-fine-192 (that recipe at 192 px from scratch: the input-size study)
// and heatmap-fine-offset (that recipe with mirrored samples keeping the annotations' offset from mirror symmetry)
// and heatmap-fine-restart (that model trained on for restart_epochs=60 more epochs: a second schedule) and
// heatmap-fine-192-tune (that model trained on at 192 px for tune_epochs=8 epochs: shipped as 300w-face-68-fine.zip).
// train=false evaluates the models already in out/ instead of training them again.
// In Fiji: ImageJ-linux64 --headless -macro scripts/reproduce_report.ijm "data=... out=..."
// data: the folder with imm_face_db/, w300_train/, w300_extra/ and ibug_subset/lfpw/testset/ (research licences: never commit them).
// Writes into out/: each model, its evaluation tables (CSV), best/worst examples (TIFF), learned filters and
// loss curves (PNG), and results.md with the figures.
// 'var': globals that the functions below can see
var args = parse(getArgument());
var data = value(args, "data", "../shared/datasets");
var out = value(args, "out", "results");
var which = value(args, "which", "nose,face,resnet");
var seed = value(args, "seed", "0");
var resnetEpochs = value(args, "resnet_epochs", "20");
var heatmapEpochs = value(args, "heatmap_epochs", "80");
var sizesEpochs = value(args, "sizes_epochs", "3");
var restartEpochs = value(args, "restart_epochs", "60");
var tuneEpochs = value(args, "tune_epochs", "8");
var heatmapPlanes = 224; // the size heatmap() imports 300-W's planes at
var retrain = value(args, "train", "true"); // train=false: evaluate the models already in out/ (e.g. a run stopped early)
File.makeDirectory(out);
var report = "| experiment | planes | model: mean error px | median px | MAE px | NME % | original px (MAE) | mean shape: error px | train s |\n|---|---|---|---|---|---|---|---|---|\n";

if (wants("nose") || wants("face") || wants("nose-best") || wants("face-best")) {
	run("IMM Face Database...", "folder=[" + data + "/imm_face_db] type=[8-bit gray]");
	imm = getTitle();
	if (wants("nose"))
		report = report + experiment("nose", imm, "architecture=NoseNet epochs=25 batch_size=1 augment=false keypoints=52 validation=[labels 33-40]", "labels 33-40");
	if (wants("face"))
		report = report + experiment("face", imm, "architecture=FaceNet epochs=30 batch_size=1 augment=true keypoints=all validation=[labels 33-40]", "labels 33-40");
	// Beyond the report: small batches and more epochs, which KeypointJ's faster batched steps make affordable.
	if (wants("nose-best"))
		report = report + experiment("nose-best", imm, "architecture=NoseNet epochs=60 batch_size=4 augment=false keypoints=52 validation=[labels 33-40]", "labels 33-40");
	if (wants("face-best"))
		report = report + experiment("face-best", imm, "architecture=FaceNet epochs=60 batch_size=4 augment=true keypoints=all validation=[labels 33-40]", "labels 33-40");
	selectImage(imm);
	close();
}
if (wants("resnet")) {
	start = getTime();
	if (retrain == "false" && File.exists(out + "/resnet.zip")) train("resnet", "");
	else {
		run("Landmark Files...", "source=[" + data + "/w300_train] margin=2 size=224 type=RGB");
		w300 = getTitle();
		start = getTime();
		train("resnet", "architecture=ResNet18 epochs=" + resnetEpochs + " batch_size=32 augment=true keypoints=all validation=none");
		selectImage(w300);
		close();
	}
	seconds = (getTime() - start) / 1000;
	run("Landmark Files...", "source=[" + data + "/ibug_subset/lfpw/testset] margin=2 size=224 type=RGB");
	lfpw = getTitle();
	report = report + evaluate("resnet", lfpw, "all", seconds);
	close();
}
if (wants("heatmap")) heatmap("heatmap", "");
// Issue 23's mirroring study: the same recipe, its samples never mirrored (the face and its mirror image
// differ by the annotations' horizontal offset, docs/RESULTS.md).
if (wants("heatmap-unmirrored")) heatmap("heatmap-unmirrored", " mirror_pairs=none");
// Issue 23's heatmap-resolution study: the same recipe with heatmaps at half the input instead of a quarter.
if (wants("heatmap-fine")) heatmap("heatmap-fine", " architecture=HeatmapNet-fine");
// Issue 23's loss study: heatmaps at half the input, the positions' distance charged by Wing instead of L1 (no
// object stage: the keypoints are measured in their boxes).
if (wants("heatmap-fine-wing")) heatmap("heatmap-fine-wing", " architecture=HeatmapNet-fine loss=wing object_stage=false");
// Issue 23's input-size study from scratch: the fine recipe at 192 px (2.25x the pixels of 128: give it fewer
// heatmap_epochs to compare at equal CPU time; no object stage).
if (wants("heatmap-fine-192")) heatmap("heatmap-fine-192", " architecture=HeatmapNet-fine input_width=192 input_height=192 object_stage=false");
// Issue 23's mirror study: 300-W's annotations lie 0.0049 of a box (0.94 px of its 192-px faces) right of mirror
// symmetry, measured on its training faces as the mean of a model's two views; mirrored samples keep that offset,
// so that the network need not tell a face from its mirror image (no object stage).
if (wants("heatmap-fine-offset")) heatmap("heatmap-fine-offset", " architecture=HeatmapNet-fine mirror_offset=0.0049 object_stage=false");
// Issue 23's epochs study: the offset model (out/heatmap-fine-offset.zip) trained on with a second cosine
// schedule from half the learning rate (no object stage).
if (wants("heatmap-fine-restart")) {
	if ((retrain != "false" || !File.exists(out + "/heatmap-fine-restart.zip")) && !File.exists(out + "/heatmap-fine-offset.zip")) exit("which=heatmap-fine-restart starts from " + out + "/heatmap-fine-offset.zip: add heatmap-fine-offset to which, or train it first.");
	heatmap("heatmap-fine-restart", " architecture=HeatmapNet-fine mirror_offset=0.0049 object_stage=false epochs=" + restartEpochs + " learning_rate=0.0005 start_from=[" + out + "/heatmap-fine-offset.zip]");
}
// Issue 23's input-size study by fine-tuning: the second-schedule model trained on at 192 px, Adam from 0.0005 and
// cosine to 1 % as before, on planes of 320 px (a 192 input needs more than 224: the crop is 1.4x the points' box).
if (wants("heatmap-fine-192-tune")) {
	if ((retrain != "false" || !File.exists(out + "/heatmap-fine-192-tune.zip")) && !File.exists(out + "/heatmap-fine-restart.zip")) exit("which=heatmap-fine-192-tune starts from " + out + "/heatmap-fine-restart.zip: add heatmap-fine-restart to which, or train it first.");
	heatmapPlanes = 320;
	heatmap("heatmap-fine-192-tune", " architecture=HeatmapNet-fine input_width=192 input_height=192 mirror_offset=0.0049 object_stage=false epochs=" + tuneEpochs + " learning_rate=0.0005 start_from=[" + out + "/heatmap-fine-restart.zip]");
	heatmapPlanes = 224;
}

// The input-size study of docs/RESULTS.md (issue 23): the heatmap model (out/heatmap.zip, from which=heatmap)
// trained on at 128, 192 and 256 (start_from) for sizes_epochs epochs, from planes imported at 384 px (enough for
// a 256 input), each evaluated on the LFPW and HELEN test sets imported the same way.
if (wants("heatmap-sizes")) {
	if (!File.exists(out + "/heatmap.zip")) exit("which=heatmap-sizes starts from " + out + "/heatmap.zip: add heatmap to which, or train it first.");
	sizes = newArray(128, 192, 256);
	run("Landmark Files...", "source=[" + data + "/w300_train] also_from=[" + data + "/w300_extra/afw_train] margin=2 size=384 type=RGB");
	w300 = getTitle();
	for (s = 0; s < sizes.length; s++) {
		name = "heatmap-" + sizes[s];
		selectImage(w300);
		start = getTime();
		train(name, "architecture=HeatmapNet input_width=" + sizes[s] + " input_height=" + sizes[s] + " epochs=" + sizesEpochs + " batch_size=32 learning_rate=0.0005 augment=true keypoints=all validation=0.05 object_stage=false start_from=[" + out + "/heatmap.zip]");
		seconds = (getTime() - start) / 1000;
		run("Landmark Files...", "source=[" + data + "/ibug_subset/lfpw/testset] margin=2 size=384 type=RGB");
		report = report + evaluateAs(name, name + "-lfpw", getTitle(), "all", seconds);
		close();
		run("Landmark Files...", "source=[" + data + "/w300_extra/helen_test] margin=2 size=384 type=RGB");
		report = report + evaluateAs(name, name + "-helen", getTitle(), "all", seconds);
		close();
	}
	selectImage(w300);
	close();
}
getDateAndTime(year, month, dayOfWeek, day, hour, minute, second, msec);
header = "Generated by scripts/reproduce_report.ijm on " + year + "-" + IJ.pad(month + 1, 2) + "-" + IJ.pad(day, 2) + " (" + getInfo("os.name") + ", Java " + getInfo("java.version") + "), arguments: " + getArgument() + "\n\n";
report = header + report + "\nErrors are in the evaluated planes' pixels (IMM: 640x480), on the validation persons 33-40 for IMM; 'original px' maps 300-W crops back to the original photographs. Mean shape: the training set's mean shape placed in each crop.\n";
File.saveString(report, out + "/results.md");
print(report);

// Whether the comma-separated 'which' names this experiment exactly ("nose" is not "nose-best").
function wants(name) {
	names = split(which, ",");
	for (i = 0; i < names.length; i++)
		if (names[i] == name) return true;
	return false;
}

function experiment(name, stack, recipe, planes) {
	selectImage(stack);
	start = getTime();
	train(name, recipe);
	seconds = (getTime() - start) / 1000;
	result = evaluate(name, stack, planes, seconds); // the macro language returns a function's string only via a variable
	return result;
}

function train(name, recipe) {
	if (retrain == "false" && File.exists(out + "/" + name + ".zip")) print("using the trained " + out + "/" + name + ".zip");
	else {
		recipe = withDefault(withDefault(withDefault(recipe, "input_width", "0"), "input_height", "0"), "learning_rate", "0.001");
		run("Train Keypoint Model", recipe + " seed=" + seed + " device=auto output=[" + out + "/" + name + ".zip] overwrite=true");
	}
	run("Show Training History", "model=[" + out + "/" + name + ".zip]");
	saveAs("PNG", out + "/" + name + "-loss.png");
	close();
	run("Show Learned Filters", "model=[" + out + "/" + name + ".zip] zoom=8");
	saveAs("PNG", out + "/" + name + "-filters.png");
	close();
}

// HeatmapNet on 300-W's training set (AFW included), out/name.zip, evaluated on the LFPW and HELEN test sets;
// extra: what the recipe changes (" key=value ...").
function heatmap(name, extra) {
	start = getTime();
	if (retrain == "false" && File.exists(out + "/" + name + ".zip")) train(name, "");
	else {
		run("Landmark Files...", "source=[" + data + "/w300_train] also_from=[" + data + "/w300_extra/afw_train] margin=2 size=" + heatmapPlanes + " type=RGB");
		w300 = getTitle();
		start = getTime();
		train(name, withDefault(withDefault("batch_size=32 augment=true keypoints=all validation=0.05" + extra, "epochs", heatmapEpochs), "architecture", "HeatmapNet"));
		selectImage(w300);
		close();
	}
	seconds = (getTime() - start) / 1000;
	run("Landmark Files...", "source=[" + data + "/ibug_subset/lfpw/testset] margin=2 size=" + heatmapPlanes + " type=RGB");
	report = report + evaluateAs(name, name + "-lfpw", getTitle(), "all", seconds);
	close();
	run("Landmark Files...", "source=[" + data + "/w300_extra/helen_test] margin=2 size=" + heatmapPlanes + " type=RGB");
	report = report + evaluateAs(name, name + "-helen", getTitle(), "all", seconds);
	close();
}

// The recipe with key=value added where it does not give the key itself.
function withDefault(recipe, key, fallback) {
	if (indexOf(" " + recipe, " " + key + "=") >= 0) return recipe;
	text = recipe + " " + key + "=" + fallback;
	return text;
}

function evaluate(name, stack, planes, seconds) {
	text = evaluateAs(name, name, stack, planes, seconds);
	return text;
}

// Evaluates out/name.zip on the stack's planes; the tables and examples are saved as out/tag-*.
function evaluateAs(name, tag, stack, planes, seconds) {
	selectImage(stack);
	examples = 4;
	if (startsWith(tag, "heatmap")) examples = 10; // the 10 best and 10 worst 300-W faces
	run("Evaluate Keypoint Model", "model=[" + out + "/" + name + ".zip] planes=[" + planes + "] examples=" + examples + " csv_file=[" + out + "/" + tag + "-evaluation.csv] summary_file=[" + out + "/" + tag + "-summary.csv] keypoint_file=[" + out + "/" + tag + "-keypoints.csv] overwrite=true device=auto");
	saveAs("Tiff", out + "/" + tag + "-best-worst.tif");
	close();
	lines = split(File.openAsString(out + "/" + tag + "-summary.csv"), "\n");
	model = row(lines, 1);
	baseline = row(lines, 2);
	text = "| " + tag + " | " + column(lines, model, "Objects") + " | " + column(lines, model, "Mean error (px)") + " | " + column(lines, model, "Median error (px)") + " | " + column(lines, model, "MAE (px)") + " | " + column(lines, model, "NME (%)") + " | " + column(lines, model, "Mean error (original px)") + " (" + column(lines, model, "MAE (original px)") + ") | " + column(lines, baseline, "Mean error (px)") + " | " + d2s(seconds, 0) + " |\n";
	return text;
}

function row(lines, index) {
	values = split(lines[index], ",");
	return values;
}

function column(lines, values, heading) {
	headings = split(lines[0], ",");
	for (i = 0; i < headings.length; i++)
		if (headings[i] == heading) {
			text = d2s(parseFloat(values[i]), 2);
			return text;
		}
	text = "-";
	return text;
}

function parse(text) {
	pairs = split(text, " ");
	return pairs;
}

function value(pairs, key, fallback) {
	for (i = 0; i < pairs.length; i++)
		if (startsWith(pairs[i], key + "=")) {
			text = substring(pairs[i], lengthOf(key) + 1);
			return text;
		}
	return fallback;
}
