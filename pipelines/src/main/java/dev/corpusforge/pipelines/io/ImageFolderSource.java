package dev.corpusforge.pipelines.io;

import static dev.corpusforge.core.read.ReadReasons.*;

import dev.corpusforge.core.Rejects;
import dev.corpusforge.core.StepResult;
import dev.corpusforge.schemas.ImageTextSample;
import dev.corpusforge.schemas.InputColumn;
import dev.corpusforge.schemas.Reject;
import dev.corpusforge.schemas.SampleIds;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MetadataCoderV2;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Reads folders of images with sidecar captions: {@code a/b/x.jpg} is paired with {@code a/b/x.txt}
 * (or the caption field of {@code a/b/x.json}), recursively, on any Beam file system. Entries may
 * also name single image and caption files. Every file becomes part of a sample or a reject: an
 * image without caption is {@code caption_missing}, a caption without image {@code image_missing},
 * any other file {@code unsupported_file}.
 */
public final class ImageFolderSource extends PTransform<PBegin, StepResult<ImageTextSample>> {
  private final List<String> folders;
  private final ReadLimits limits;

  private ImageFolderSource(List<String> folders, ReadLimits limits) {
    this.folders = List.copyOf(folders);
    this.limits = limits;
  }

  public static ImageFolderSource of(List<String> folders, ReadLimits limits) {
    return new ImageFolderSource(folders, limits);
  }

  @Override
  public StepResult<ImageTextSample> expand(PBegin begin) {
    List<String> patterns = new ArrayList<>();
    for (String folder : folders) {
      patterns.add(pattern(folder));
    }
    TupleTag<ImageTextSample> keptTag = new TupleTag<>();
    TupleTag<Reject> rejectTag = new TupleTag<>();
    PCollectionTuple out =
        begin
            .apply("Folders", Create.of(patterns))
            .apply(
                "List files", FileIO.matchAll().withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW))
            .apply("Key by stem", ParDo.of(new KeyByStemFn()))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), MetadataCoderV2.of()))
            .apply("Group sidecars", GroupByKey.create())
            .apply(
                "Read pairs",
                ParDo.of(new ReadPairFn(limits, keptTag, rejectTag))
                    .withOutputTags(keptTag, TupleTagList.of(rejectTag)));
    return StepResult.of(out, keptTag, AvroCoder.of(ImageTextSample.class), rejectTag);
  }

  /**
   * What an entry matches: a path that names an image or a caption file is that file (a schedule
   * passes the new files of a folder one by one); anything else is a folder, read recursively.
   */
  static String pattern(String entry) {
    String ext = extension(entry);
    if (ImageExtensions.isImage(ext)
        || ext.equals(ImageExtensions.CAPTION_TEXT)
        || ext.equals(ImageExtensions.CAPTION_JSON)) {
      return entry;
    }
    return entry.endsWith("/") ? entry + "**" : entry + "/**";
  }

  /**
   * The lower-case extension of a path's last segment, without the dot; empty when there is none.
   */
  public static String extension(String path) {
    int slash = path.lastIndexOf('/');
    int dot = path.lastIndexOf('.');
    return dot > slash + 1 ? path.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
  }

  static String stem(String path) {
    String ext = extension(path);
    return ext.isEmpty() ? path : path.substring(0, path.length() - ext.length() - 1);
  }

  static final class KeyByStemFn
      extends DoFn<MatchResult.Metadata, KV<String, MatchResult.Metadata>> {
    @ProcessElement
    public void process(
        @Element MatchResult.Metadata file, OutputReceiver<KV<String, MatchResult.Metadata>> out) {
      if (file.resourceId().isDirectory()) {
        return;
      }
      out.output(KV.of(stem(file.resourceId().toString()), file));
    }
  }

  static final class ReadPairFn
      extends DoFn<KV<String, Iterable<MatchResult.Metadata>>, ImageTextSample> {
    private final ReadLimits limits;
    private final TupleTag<ImageTextSample> keptTag;
    private final TupleTag<Reject> rejectTag;

    ReadPairFn(ReadLimits limits, TupleTag<ImageTextSample> keptTag, TupleTag<Reject> rejectTag) {
      this.limits = limits;
      this.keptTag = keptTag;
      this.rejectTag = rejectTag;
    }

    @ProcessElement
    public void process(
        @Element KV<String, Iterable<MatchResult.Metadata>> group, MultiOutputReceiver out) {
      List<MatchResult.Metadata> images = new ArrayList<>();
      MatchResult.Metadata text = null;
      MatchResult.Metadata json = null;
      List<MatchResult.Metadata> files = new ArrayList<>();
      group.getValue().forEach(files::add);
      files.sort(Comparator.comparing(m -> m.resourceId().toString()));
      for (MatchResult.Metadata file : files) {
        String ext = extension(file.resourceId().toString());
        if (ImageExtensions.isImage(ext)) {
          images.add(file);
        } else if (ext.equals(ImageExtensions.CAPTION_TEXT)) {
          text = file;
        } else if (ext.equals(ImageExtensions.CAPTION_JSON)) {
          json = file;
        } else {
          reject(
              out,
              file.resourceId().toString(),
              UNSUPPORTED_FILE,
              "not an image ("
                  + String.join(", ", ImageExtensions.IMAGES)
                  + ") nor a .txt/.json caption");
        }
      }
      if (images.isEmpty()) {
        for (MatchResult.Metadata sidecar : new MatchResult.Metadata[] {text, json}) {
          if (sidecar != null) {
            reject(
                out,
                sidecar.resourceId().toString(),
                IMAGE_MISSING,
                "caption file without an image of the same name");
          }
        }
        return;
      }
      for (MatchResult.Metadata image : images) {
        String source = image.resourceId().toString();
        try {
          readPair(image, text, json, out);
        } catch (Exception e) {
          out.get(rejectTag)
              .output(
                  Rejects.of(
                      SampleIds.of(source),
                      source,
                      STAGE,
                      FILE_UNREADABLE,
                      e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
      }
    }

    private void readPair(
        MatchResult.Metadata image,
        MatchResult.Metadata text,
        MatchResult.Metadata json,
        MultiOutputReceiver out)
        throws Exception {
      String source = image.resourceId().toString();
      String caption = null;
      if (text != null) {
        if (text.sizeBytes() > limits.maxCaptionBytes()) {
          reject(
              out,
              source,
              CAPTION_TOO_LONG,
              "caption file has " + text.sizeBytes() + " bytes > max " + limits.maxCaptionBytes());
          return;
        }
        caption = Blobs.caption(Blobs.read(text.resourceId(), limits.maxCaptionBytes()));
      }
      // the sidecar gives the caption when there is no .txt, and the carried columns in any case
      List<InputColumn> columns = null;
      if (json != null && (text == null || !limits.carriedColumns().isEmpty())) {
        if (json.sizeBytes() > limits.maxCaptionBytes()) {
          reject(
              out,
              source,
              CAPTION_TOO_LONG,
              "JSON sidecar has " + json.sizeBytes() + " bytes > max " + limits.maxCaptionBytes());
          return;
        }
        JsonCaption.Sidecar sidecar =
            JsonCaption.read(
                Blobs.read(json.resourceId(), limits.maxCaptionBytes()),
                limits.captionField(),
                limits.carriedColumns());
        columns = sidecar.columns();
        if (text == null) {
          caption = sidecar.caption();
          if (caption == null) {
            reject(
                out,
                source,
                CAPTION_MISSING,
                "JSON sidecar has no '" + limits.captionField() + "' field");
            return;
          }
        }
      } else if (text == null) {
        reject(out, source, CAPTION_MISSING, "no .txt or .json caption next to the image");
        return;
      }
      if (columns == null) {
        columns = CarriedColumns.of(limits.carriedColumns(), name -> null);
      }
      if (image.sizeBytes() > limits.maxImageBytes()) {
        reject(
            out,
            source,
            IMAGE_TOO_LARGE_BYTES,
            image.sizeBytes() + " bytes > max " + limits.maxImageBytes());
        return;
      }
      byte[] bytes = Blobs.read(image.resourceId(), limits.maxImageBytes());
      if (bytes == null) {
        reject(
            out, source, IMAGE_TOO_LARGE_BYTES, "more than " + limits.maxImageBytes() + " bytes");
        return;
      }
      out.get(keptTag)
          .output(
              ImageTextSample.newBuilder()
                  .setSampleId(SampleIds.of(source))
                  .setSource(source)
                  .setCaption(caption)
                  .setImage(ByteBuffer.wrap(bytes))
                  .setColumns(columns)
                  .build());
    }

    private void reject(MultiOutputReceiver out, String source, String reason, String detail) {
      out.get(rejectTag).output(Rejects.of(SampleIds.of(source), source, STAGE, reason, detail));
    }
  }
}
