import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.corpusforge.filters.image.ImageCodec;
import dev.corpusforge.pipelines.run.RunDriver;
import dev.corpusforge.pipelines.run.RunSettings;
import dev.corpusforge.schemas.ImageTextSample;
import dev.corpusforge.scorers.BundleSpec;
import dev.corpusforge.scorers.DeviceChoice;
import dev.corpusforge.scorers.ImagePreprocess;
import dev.corpusforge.scorers.LateInteraction;
import dev.corpusforge.scorers.ModelBundle;
import dev.corpusforge.scorers.beam.ImageTextPairs;
import dev.corpusforge.scorers.beam.ScorePairs;
import dev.corpusforge.scorers.beam.ScoringConfig;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;

/**
 * Pairs per second through the Beam scoring transform ({@link ScorePairs} on embedded Flink,
 * parallelism 1) against a bare loop that calls ONNX Runtime's Java API directly, on the same
 * bundle, pairs, batch size and ONNX Runtime threads. Both paths do the same work per pair: decode
 * the image bytes, preprocess, tokenise, run both encoders, compute the CLIP and FILIP scores.
 *
 * <p>Only project and Beam classes go into the pipeline: this file's own classes live in the source
 * launcher's class loader, which Flink cannot see.
 *
 * <p>Usage: java -cp CLASSPATH bench/ScoreBench.java BUNDLE IMAGE_DIR PAIRS BATCH ROUNDS
 */
public class ScoreBench {
  public static void main(String[] args) throws Exception {
    Path bundleDir = Path.of(args[0]);
    List<ImageTextSample> pairs = pairs(Path.of(args[1]), Integer.parseInt(args[2]));
    int batch = Integer.parseInt(args[3]);
    int rounds = Integer.parseInt(args[4]);
    ModelBundle bundle = ModelBundle.load(bundleDir);
    System.out.printf(Locale.ROOT, "%d pairs, batch %d, 1 worker thread, 1 ONNX Runtime thread, bundle %s%n", pairs.size(), batch, bundle.spec().name());
    bare(bundle, pairs.subList(0, Math.min(256, pairs.size())), batch);
    beam(bundleDir, pairs.subList(0, Math.min(256, pairs.size())), batch);
    double bestBare = 0;
    double bestBeam = 0;
    for (int r = 1; r <= rounds; r++) {
      double b = bare(bundle, pairs, batch);
      double t = beam(bundleDir, pairs, batch);
      System.out.printf(Locale.ROOT, "round %d: bare %.1f pairs/s, beam %.1f pairs/s, ratio %.2f%n", r, b, t, t / b);
      bestBare = Math.max(bestBare, b);
      bestBeam = Math.max(bestBeam, t);
    }
    System.out.printf(Locale.ROOT, "best: bare %.1f pairs/s, beam %.1f pairs/s, ratio %.2f%n", bestBare, bestBeam, bestBeam / bestBare);
  }

  static List<ImageTextSample> pairs(Path dir, int count) throws Exception {
    List<Path> pngs;
    try (Stream<Path> walk = Files.walk(dir)) {
      pngs = walk.filter(f -> f.toString().endsWith(".png") && Files.exists(Path.of(f.toString().replace(".png", ".txt")))).sorted().toList();
    }
    List<ImageTextSample> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Path png = pngs.get(i % pngs.size());
      out.add(ImageTextSample.newBuilder().setSampleId(String.format("%08d", i)).setSource(png.toString())
          .setCaption(Files.readString(Path.of(png.toString().replace(".png", ".txt"))).strip())
          .setImage(ByteBuffer.wrap(Files.readAllBytes(png))).setImageFormat("png").build());
    }
    return out;
  }

  /** The Beam transform on embedded Flink; wall time from submission to the end of the job. */
  static double beam(Path bundle, List<ImageTextSample> pairs, int batch) throws Exception {
    RunSettings settings = new RunSettings("flink", RunSettings.EMBEDDED, 1, null, false, null, true, 0);
    Pipeline p = Pipeline.create(RunDriver.options(settings));
    ScoringConfig config = new ScoringConfig(bundle.toString(), DeviceChoice.CPU, batch, 60_000, 1, 1, 1.0);
    p.apply(Create.of(pairs).withCoder(AvroCoder.of(ImageTextSample.class)))
        .apply(ScorePairs.of(config, ImageTextPairs.INSTANCE)).kept()
        .apply(Count.globally());
    long start = System.nanoTime();
    p.run().waitUntilFinish();
    return pairs.size() / ((System.nanoTime() - start) / 1e9);
  }

  /** The same work in a plain loop over ONNX Runtime sessions. */
  static double bare(ModelBundle bundle, List<ImageTextSample> pairs, int batch) throws Exception {
    ai.djl.engine.Engine.getEngine("OnnxRuntime");
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    BundleSpec spec = bundle.spec();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      try (OrtSession image = env.createSession(bundle.file(spec.image().onnx()).toString(), options);
          OrtSession text = env.createSession(bundle.file(spec.text().onnx()).toString(), options);
          HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.builder().optTokenizerPath(bundle.file(spec.text().tokenizer()))
              .optMaxLength(spec.text().maxLength()).optTruncation(true).optPadding(true).build()) {
        long start = System.nanoTime();
        double checksum = 0;
        int size = spec.image().size();
        for (int from = 0; from < pairs.size(); from += batch) {
          List<ImageTextSample> chunk = pairs.subList(from, Math.min(pairs.size(), from + batch));
          int n = chunk.size();
          float[] pixels = new float[n * 3 * size * size];
          List<String> captions = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            ByteBuffer b = chunk.get(i).getImage().duplicate();
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            float[] t = ImagePreprocess.toTensor(ImageCodec.decodeRgb(bytes), size, spec.image().mean(), spec.image().std());
            System.arraycopy(t, 0, pixels, i * t.length, t.length);
            captions.add(chunk.get(i).getCaption());
          }
          float[][][] imageTokens;
          float[][] imagePooled;
          try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(pixels), new long[] {n, 3, size, size});
              OrtSession.Result out = image.run(Map.of(spec.image().input(), in))) {
            imageTokens = (float[][][]) out.get(spec.image().tokensOutput()).get().getValue();
            imagePooled = (float[][]) out.get(spec.image().pooledOutput()).get().getValue();
          }
          Encoding[] enc = tokenizer.batchEncode(captions);
          int len = enc[0].getIds().length;
          long[] ids = new long[n * len];
          long[] mask = new long[n * len];
          for (int i = 0; i < n; i++) {
            System.arraycopy(enc[i].getIds(), 0, ids, i * len, len);
            System.arraycopy(enc[i].getAttentionMask(), 0, mask, i * len, len);
          }
          float[][][] textTokens;
          float[][] textPooled;
          try (OnnxTensor idsT = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), new long[] {n, len});
              OnnxTensor maskT = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), new long[] {n, len});
              OrtSession.Result out = text.run(Map.of(spec.text().inputs().get("input_ids"), idsT, spec.text().inputs().get("attention_mask"), maskT))) {
            textTokens = (float[][][]) out.get(spec.text().tokensOutput()).get().getValue();
            textPooled = (float[][]) out.get(spec.text().pooledOutput()).get().getValue();
          }
          for (int i = 0; i < n; i++) {
            checksum += LateInteraction.clipScore(imagePooled[i], textPooled[i]);
            checksum += LateInteraction.filip(imageTokens[i], spec.image().hasCls(), textTokens[i], enc[i].getAttentionMask(), 1.0).score();
          }
        }
        double rate = pairs.size() / ((System.nanoTime() - start) / 1e9);
        if (Double.isNaN(checksum)) {
          throw new IllegalStateException("NaN score");
        }
        return rate;
      }
    }
  }
}
