import dev.corpusforge.core.Outcome;
import dev.corpusforge.filters.image.ImageOutput;
import dev.corpusforge.filters.image.ImageRules;
import dev.corpusforge.filters.image.ImageStep;
import dev.corpusforge.schemas.ImageTextSample;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Images per CPU-second on one thread, same files, same image library:
 *   bare    — read the file and ImageIO.read it (the floor any Java pipeline pays);
 *   stage   — read the file and run the image-text image stage: byte cap, header probe, pixel
 *             cap, size and aspect rules, decode to RGB, pixel SHA-256 and perceptual hash
 *             (output format "original", so nothing is re-encoded).
 * Usage: java -cp CLASSPATH bench/ImageBench.java IMAGE_DIR [ROUNDS]
 */
public class ImageBench {
  public static void main(String[] args) throws Exception {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(Path.of(args[0]))) {
      files = walk.filter(f -> f.toString().endsWith(".png")).sorted().toList();
    }
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    ImageStep step = new ImageStep(ImageRules.defaults(), new ImageOutput("keep", 0, "original", 95));
    ImageIO.setUseCache(false);
    // warm-up: JIT and plugin registration
    run("bare", files.subList(0, Math.min(200, files.size())), ImageBench::bare);
    run("stage", files.subList(0, Math.min(200, files.size())), f -> stage(step, f));
    double bestBare = 0;
    double bestStage = 0;
    for (int r = 0; r < rounds; r++) {
      bestBare = Math.max(bestBare, run("bare", files, ImageBench::bare));
      bestStage = Math.max(bestStage, run("stage", files, f -> stage(step, f)));
    }
    System.out.printf(Locale.ROOT, "images=%d  bare=%.1f img/cpu-s  stage=%.1f img/cpu-s  ratio=%.2f%n", files.size(), bestBare, bestStage, bestStage / bestBare);
  }

  interface Work {
    boolean apply(Path file) throws Exception;
  }

  static boolean bare(Path file) throws Exception {
    return ImageIO.read(new java.io.ByteArrayInputStream(Files.readAllBytes(file))) != null;
  }

  static boolean stage(ImageStep step, Path file) throws Exception {
    ImageTextSample sample = ImageTextSample.newBuilder().setSampleId(file.toString()).setSource(file.toString())
        .setCaption("bench").setImage(ByteBuffer.wrap(Files.readAllBytes(file))).build();
    Outcome<ImageTextSample> out = step.apply(sample);
    return out.kept();
  }

  static double run(String name, List<Path> files, Work work) throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long cpu0 = threads.getCurrentThreadCpuTime();
    long wall0 = System.nanoTime();
    int ok = 0;
    for (Path f : files) {
      if (work.apply(f)) {
        ok++;
      }
    }
    double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
    double wall = (System.nanoTime() - wall0) / 1e9;
    double rate = files.size() / cpu;
    System.out.printf(Locale.ROOT, "%-6s %d images (%d decoded/kept) in %.2f cpu-s (%.2f wall-s): %.1f img/cpu-s%n", name, files.size(), ok, cpu, wall, rate);
    return rate;
  }
}
