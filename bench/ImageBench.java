import dev.corpusforge.core.Outcome;
import dev.corpusforge.filters.image.ImageOutput;
import dev.corpusforge.filters.image.ImageRules;
import dev.corpusforge.filters.image.ImageStep;
import com.github.pemistahl.lingua.api.LanguageDetector;
import com.github.pemistahl.lingua.api.LanguageDetectorBuilder;
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
 *             (output format "original", so nothing is re-encoded);
 *   language — read each image's caption sidecar (.txt) and ask Lingua (all languages, high
 *             accuracy, as the pipeline asks it) for its confidence values: the other kernel every
 *             image-text record needs, since every kept caption carries its language.
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
    List<Path> captions = files.stream().map(f -> f.resolveSibling(f.getFileName().toString().replaceAll("\\.png$", ".txt"))).filter(Files::exists).toList();
    if (!captions.isEmpty()) {
      LanguageDetector lingua = LanguageDetectorBuilder.fromAllLanguages().build();
      lingua.computeLanguageConfidenceValues("corpusforge loads its language models"); // the load
      run("language", captions.subList(0, Math.min(200, captions.size())), f -> language(lingua, f), true);
      double bestLanguage = 0;
      for (int r = 0; r < Math.max(rounds, 3); r++) { // Lingua's own JIT warm-up takes a round
        bestLanguage = Math.max(bestLanguage, run("language", captions, f -> language(lingua, f), true));
      }
      // the two kernels one after the other: the most images per CPU-second any pipeline that
      // decodes every image and labels every caption can reach
      double kernels = 1 / (1 / bestBare + 1 / bestLanguage);
      System.out.printf(Locale.ROOT, "captions=%d  language=%.1f captions/cpu-s  kernels=%.1f img/cpu-s (bare decode + language), %.2f of bare decode%n",
          captions.size(), bestLanguage, kernels, kernels / bestBare);
    }
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

  static boolean language(LanguageDetector lingua, Path caption) throws Exception {
    return !lingua.computeLanguageConfidenceValues(Files.readString(caption).strip()).isEmpty();
  }

  static double run(String name, List<Path> files, Work work) throws Exception {
    return run(name, files, work, false);
  }

  /** Items per CPU-second: of this thread, or with {@code wholeProcess} of every thread (Lingua computes on a pool of its own). */
  static double run(String name, List<Path> files, Work work, boolean wholeProcess) throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    var process = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpu0 = threads.getCurrentThreadCpuTime();
    long all0 = process.getProcessCpuTime();
    long wall0 = System.nanoTime();
    int ok = 0;
    for (Path f : files) {
      if (work.apply(f)) {
        ok++;
      }
    }
    double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
    double all = (process.getProcessCpuTime() - all0) / 1e9;
    double wall = (System.nanoTime() - wall0) / 1e9;
    double rate = files.size() / (wholeProcess ? all : cpu);
    System.out.printf(Locale.ROOT, "%-6s %d items (%d decoded/kept) in %.2f cpu-s of this thread, %.2f of the process (%.2f wall-s): %.1f per cpu-s%n", name, files.size(), ok, cpu, all, wall, rate);
    return rate;
  }
}
