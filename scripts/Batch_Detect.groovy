#@ File (label = "Folder of images", style = "directory") input
#@ File (label = "Model file", style = "open") model
#@ File (label = "Output folder", style = "directory") output
#@ String (label = "Region", choices = {"whole image", "selection", "boxes in overlay"}) region
#@ io.github.keypointj.service.KeypointService keypoints
#@ LogService log

// Batch detection from Fiji's script editor (Groovy) with KeypointJ's scripting service: every image of
// a folder through one model; an annotated TIFF per image and one keypoints.csv for the folder
// (file,object,point,name,x,y,confidence). Unreadable files and images the model cannot take are
// logged and skipped.
import ij.io.FileSaver
import io.github.keypointj.KeypointException
import io.github.keypointj.detect.DetectionRequest
import io.github.keypointj.detect.Region
import io.github.keypointj.engine.DeviceChoice
import io.github.keypointj.io.ImageFiles

def request = new DetectionRequest(model.toPath(), true, Region.fromLabel(region), DeviceChoice.AUTO, 3)
def table = new StringBuilder("file,object,point,name,x,y,confidence\n")
input.listFiles().findAll { it.isFile() }.sort { it.name }.each { file ->
	def image = ImageFiles.open(file.toPath())
	if (image == null) {
		log.warn("skipped ${file.name}: not an image ImageJ can read")
		return
	}
	try {
		def result = keypoints.detect(image, request)
		def names = result.model().keypointNames()
		result.objects().eachWithIndex { face, index ->
			for (int k = 0; k < names.size(); k++) {
				table << "${file.name},${index + 1},${k + 1},${names[k]},${face.points().x()[k]},${face.points().y()[k]},${face.confidence()[k]}\n"
			}
		}
		def base = file.name.replaceFirst(/\.[^.]+$/, "")
		new FileSaver(image).saveAsTiff(new File(output, base + "-keypoints.tif").path)
		log.info("${file.name}: ${result.objects().size()} object(s)")
	}
	catch (KeypointException e) {
		log.warn("skipped ${file.name}: ${e.message}")
	}
}
new File(output, "keypoints.csv").text = table.toString()
