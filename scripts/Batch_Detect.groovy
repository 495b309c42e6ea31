#@ File (label = "Folder of images", style = "directory") input
#@ File (label = "Model file", style = "open") model
#@ File (label = "Output folder", style = "directory") output
#@ String (label = "Region", choices = {"whole image", "selection", "boxes in overlay"}) region
#@ CommandService commands
#@ LogService log

// Batch detection from Fiji's script editor (Groovy): every image of a folder through one model; an
// annotated TIFF per image and one CSV per image next to it. Unreadable files are logged and skipped.
import ij.IJ
import ij.io.FileSaver
import io.github.keypointj.commands.DetectKeypoints

input.listFiles().findAll { it.isFile() }.sort { it.name }.each { file ->
	def image = IJ.openImage(file.path)
	if (image == null) {
		log.warn("skipped ${file.name}: not an image ImageJ can read")
		return
	}
	def base = file.name.replaceFirst(/\.[^.]+$/, "")
	def module = commands.run(DetectKeypoints, true, "imp", image, "model", model, "all_slices", true,
		"region", region, "show_table", false, "csv_file", new File(output, base + "-keypoints.csv"),
		"device", "auto").get()
	if (module.isCanceled()) {
		log.warn("skipped ${file.name}: ${module.getCancelReason()}")
		return
	}
	new FileSaver(image).saveAsTiff(new File(output, base + "-keypoints.tif").path)
	log.info("${file.name}: keypoints written")
}
