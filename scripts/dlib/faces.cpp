// dlib's 68-point face landmarks on a list of photos: the peer that KeypointJ's benchmark (issue 22)
// compares KeypointJ with, photo by photo. Not part of the plugin; built and run by scripts/dlib/run.
//
//   faces LIST OUTPUT.csv [MODEL.dat]
//
// LIST: one image path per line (PNG or JPEG; relative paths from the current folder). For each
// image, as dlib's face_landmark_detection_ex example does: pyramid_up once (2x, bilinear), HOG
// frontal face detector, then the 68-point shape predictor on each box, all on the upsampled image,
// single thread.
//
// OUTPUT.csv: file,object,point,name,x,y,confidence. file is the line of LIST as given; object 1..
// (dlib's order, highest score first); point 1..68; name 00..67 (iBUG's index, 0-based); x,y in the
// ORIGINAL image's pixels, with pixel centres at integers (pixel (0,0)'s centre is (0,0), as in dlib
// and KeypointJ; a 300-W .pts point minus 1); confidence the detector's score for the face's box.
// dlib rounds each landmark to a whole pixel of the upsampled image, so x,y come in steps of about 0.5.
// OUTPUT-times.csv (OUTPUT.csv less ".csv", plus "-times.csv"):
// file,width,height,faces,detector_ms,landmarks_ms (detector_ms includes the upsampling; image
// decoding is in neither).
#include <dlib/image_io.h>
#include <dlib/image_processing.h>
#include <dlib/image_processing/frontal_face_detector.h>
#include <dlib/image_transforms.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

using namespace dlib;

static double msSince(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

// A CSV field: quoted only when it holds a comma, a quote or a line break.
static std::string field(const std::string& s) {
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string q = "\"";
    for (char c : s) q += (c == '"') ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

int main(int argc, char** argv) {
    if (argc < 3 || argc > 4) {
        std::cerr << "usage: faces LIST OUTPUT.csv [shape_predictor_68_face_landmarks.dat]\n";
        return 2;
    }
    const std::string output = argv[2];
    const std::string model = argc > 3 ? argv[3] : "/usr/share/dlib/shape_predictor_68_face_landmarks.dat";
    std::string times = output;
    if (times.size() > 4 && times.compare(times.size() - 4, 4, ".csv") == 0) times.resize(times.size() - 4);
    times += "-times.csv";

    std::ifstream list(argv[1]);
    if (!list) { std::cerr << "cannot read " << argv[1] << "\n"; return 2; }
    std::vector<std::string> files;
    for (std::string line; std::getline(list, line);) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (!line.empty()) files.push_back(line);
    }

    auto t0 = std::chrono::steady_clock::now();
    frontal_face_detector detector = get_frontal_face_detector();
    shape_predictor predictor;
    deserialize(model) >> predictor;
    const double startupMs = msSince(t0);

    std::ofstream csv(output), tcsv(times);
    if (!csv || !tcsv) { std::cerr << "cannot write " << output << " or " << times << "\n"; return 2; }
    csv << "file,object,point,name,x,y,confidence\n";
    tcsv << "file,width,height,faces,detector_ms,landmarks_ms\n";

    double detectorTotal = 0, landmarksTotal = 0;
    long photos = 0, faces = 0, failed = 0;
    char buf[160];
    for (const std::string& file : files) {
        array2d<rgb_pixel> img;
        try {
            load_image(img, file);
        } catch (const std::exception& e) {
            std::cerr << file << ": " << e.what() << "\n";
            failed++;
            continue;
        }
        const long w = img.nc(), h = img.nr();

        t0 = std::chrono::steady_clock::now();
        pyramid_up(img);  // resize_image to the new size: original x = up x * (w-1)/(up w-1), corners aligned
        std::vector<rect_detection> dets;
        detector(img, dets);
        const double detectorMs = msSince(t0);

        t0 = std::chrono::steady_clock::now();
        std::vector<full_object_detection> shapes;
        for (const rect_detection& d : dets) shapes.push_back(predictor(img, d.rect));
        const double landmarksMs = msSince(t0);

        const double sx = (w - 1) / (double)std::max<long>(img.nc() - 1, 1);
        const double sy = (h - 1) / (double)std::max<long>(img.nr() - 1, 1);
        for (size_t i = 0; i < shapes.size(); i++) {
            for (unsigned long k = 0; k < shapes[i].num_parts(); k++) {
                const point p = shapes[i].part(k);
                std::snprintf(buf, sizeof buf, ",%zu,%lu,%02lu,%.4f,%.4f,%.6f\n", i + 1, k + 1, k,
                              p.x() * sx, p.y() * sy, dets[i].detection_confidence);
                csv << field(file) << buf;
            }
        }
        std::snprintf(buf, sizeof buf, ",%ld,%ld,%zu,%.3f,%.3f\n", w, h, dets.size(), detectorMs, landmarksMs);
        tcsv << field(file) << buf;

        photos++;
        faces += dets.size();
        detectorTotal += detectorMs;
        landmarksTotal += landmarksMs;
    }

    std::printf("startup (detector + 68-point model load): %.1f ms\n", startupMs);
    std::printf("photos: %ld, faces: %ld, unreadable: %ld\n", photos, faces, failed);
    if (photos > 0)
        std::printf("mean per photo: detector %.1f ms, landmarks %.2f ms (%.2f ms per face)\n",
                    detectorTotal / photos, landmarksTotal / photos, faces ? landmarksTotal / faces : 0.0);
    std::printf("wrote %s and %s\n", output.c_str(), times.c_str());
    return failed ? 1 : 0;
}
