#@ File (label = "Folder of images", style = "directory") input
#@ File (label = "Model file", style = "open") model
#@ File (label = "Output folder", style = "directory") output
#@ String (label = "Region", choices = {"whole image", "selection", "boxes in overlay"}) region
#@ io.github.keypointj.service.KeypointService keypoints
#@ LogService log

# Batch detection from Fiji's script editor (Python, i.e. Jython): the same as Batch_Detect.groovy,
# with KeypointJ's scripting service. Every image of a folder through one model; an annotated TIFF per
# image and one keypoints.csv for the folder (file,object,point,name,x,y,confidence). Unreadable files
# and images the model cannot take are logged and skipped.
import os
from java.io import File
from ij.io import FileSaver
from io.github.keypointj import KeypointException
from io.github.keypointj.detect import DetectionRequest, Region
from io.github.keypointj.engine import DeviceChoice
from io.github.keypointj.io import ImageFiles
from org.scijava.log import LogLevel

request = DetectionRequest(model.toPath(), True, Region.fromLabel(region), DeviceChoice.AUTO, 3)
rows = ["file,object,point,name,x,y,confidence"]
for name in sorted(os.listdir(input.getPath())):
    path = File(input, name)
    if not path.isFile():
        continue
    image = ImageFiles.open(path.toPath())
    if image is None:
        log.warn("skipped %s: not an image ImageJ can read" % name)
        continue
    try:
        result = keypoints.detect(image, request)
    except KeypointException as e:
        log.warn("skipped %s: %s" % (name, e.getMessage()))
        continue
    names = result.model().keypointNames()
    for index, face in enumerate(result.objects()):
        points = face.points()
        for k in range(len(names)):
            rows.append("%s,%d,%d,%s,%s,%s,%s" % (name, index + 1, k + 1, names[k], points.x()[k], points.y()[k],
                                                  face.confidence()[k]))
    base = os.path.splitext(name)[0]
    FileSaver(image).saveAsTiff(File(output, base + "-keypoints.tif").getPath())
    # not log.info: Jython takes "info" for the service's getInfo() (a PluginInfo, not callable)
    log.log(LogLevel.INFO, "%s: %d object(s)" % (name, len(result.objects())))
with open(File(output, "keypoints.csv").getPath(), "w") as table:
    table.write("\n".join(rows) + "\n")
