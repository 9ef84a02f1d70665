package dev.corpusforge.pipelines.io;

import static dev.corpusforge.core.read.ReadReasons.*;

import dev.corpusforge.core.RecordSink;
import dev.corpusforge.core.Rejects;
import dev.corpusforge.core.StepResult;
import dev.corpusforge.core.read.ReadTable;
import dev.corpusforge.schemas.ImageTextSample;
import dev.corpusforge.schemas.InputColumn;
import dev.corpusforge.schemas.SampleIds;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads WebDataset tar shards: consecutive members sharing a key ({@code dir/key.jpg}, {@code
 * dir/key.txt} or {@code dir/key.json}) form one sample; the key is the member path up to the first
 * dot of its file name, as WebDataset defines it. The sample's source is {@code shard.tar#key}.
 *
 * <p>A member that cannot be read rejects its sample ({@code tar_member_unreadable}); a tar that
 * breaks mid-way keeps the samples before the break and rejects the rest as one {@code
 * tar_unreadable} record that names the byte offset.
 */
public final class WebDatasetSource extends PTransform<PBegin, StepResult<ImageTextSample>> {
  private final List<String> patterns;
  private final ReadLimits limits;

  private WebDatasetSource(List<String> patterns, ReadLimits limits) {
    this.patterns = List.copyOf(patterns);
    this.limits = limits;
  }

  public static WebDatasetSource of(List<String> patterns, ReadLimits limits) {
    return new WebDatasetSource(patterns, limits);
  }

  @Override
  public StepResult<ImageTextSample> expand(PBegin begin) {
    return begin.apply(
        "Read",
        ReadTable.ofFileRecords(
                "WebDataset shard",
                patterns,
                new TarShardRecords(limits),
                AvroCoder.of(ImageTextSample.class))
            .spreadFiles());
  }

  /**
   * WebDataset's split of a member path into key and extension (at the first dot of the file name).
   */
  static String[] keyAndExtension(String path) {
    int slash = path.lastIndexOf('/');
    int dot = path.indexOf('.', slash + 1);
    if (dot < 0) {
      return new String[] {path, ""};
    }
    return new String[] {path.substring(0, dot), path.substring(dot + 1).toLowerCase(Locale.ROOT)};
  }

  /** One shard's samples, in the order of their members. */
  static final class TarShardRecords implements ReadTable.FileRecords<ImageTextSample> {
    private final ReadLimits limits;

    TarShardRecords(ReadLimits limits) {
      this.limits = limits;
    }

    /** The members of one sample read so far. */
    private final class Group {
      final String key;
      final String source;
      final String sampleId;
      final Map<String, byte[]> members = new TreeMap<>();
      String problemReason;
      String problemDetail;

      Group(String tar, String key, int occurrence) {
        this.key = key;
        this.source = tar + "#" + key;
        this.sampleId = SampleIds.of(occurrence == 0 ? source : source + "#" + occurrence);
      }
    }

    @Override
    public void read(MatchResult.Metadata tar, RecordSink<ImageTextSample> out) {
      String tarPath = tar.resourceId().toString();
      Map<String, Integer> seen = new HashMap<>();
      Group group = null;
      int samples = 0;
      TarArchiveInputStream in = null;
      try {
        TailTrackingInputStream raw =
            new TailTrackingInputStream(
                Channels.newInputStream(FileSystems.open(tar.resourceId())));
        in = new TarArchiveInputStream(raw);
        TarArchiveEntry entry;
        while (true) {
          try {
            entry = in.getNextEntry();
          } catch (IOException | RuntimeException e) {
            if (group != null) {
              emit(group, out);
              samples++;
              group = null;
            }
            rejectRest(out, tarPath, in.getBytesRead(), samples, e);
            return;
          }
          if (entry == null) {
            if (!raw.endedOnZeroBlock() && group != null && group.problemReason == null) {
              group.problemReason = TAR_TRUNCATED;
              group.problemDetail =
                  "the shard ends mid-way (no end-of-archive block after "
                      + in.getBytesRead()
                      + " bytes); this sample may be incomplete";
            }
            break;
          }
          if (entry.isDirectory()) {
            continue;
          }
          String[] ke = keyAndExtension(entry.getName());
          if (group == null || !group.key.equals(ke[0])) {
            if (group != null) {
              emit(group, out);
              samples++;
            }
            int occurrence = seen.merge(ke[0], 1, Integer::sum) - 1;
            group = new Group(tarPath, ke[0], occurrence);
          }
          if (group.problemReason != null) {
            continue;
          }
          if (entry.isSymbolicLink()
              || entry.isLink()
              || entry.isCharacterDevice()
              || entry.isBlockDevice()
              || entry.isFIFO()) {
            group.problemReason = UNSUPPORTED_FILE;
            group.problemDetail =
                entry.getName() + " is a link or special file, not a regular member";
            continue;
          }
          long cap =
              ImageExtensions.isImage(ke[1]) ? limits.maxImageBytes() : limits.maxCaptionBytes();
          if (entry.getSize() > cap) {
            group.problemReason =
                ImageExtensions.isImage(ke[1]) ? IMAGE_TOO_LARGE_BYTES : CAPTION_TOO_LONG;
            group.problemDetail =
                entry.getName() + " has " + entry.getSize() + " bytes > max " + cap;
            continue;
          }
          try {
            byte[] bytes = Blobs.readCapped(in, cap);
            if (bytes == null || bytes.length != entry.getSize()) {
              throw new IOException(
                  "member "
                      + entry.getName()
                      + " holds "
                      + (bytes == null ? "more" : bytes.length)
                      + " bytes, header says "
                      + entry.getSize());
            }
            group.members.put(ke[1], bytes);
          } catch (IOException | RuntimeException e) {
            group.problemReason = TAR_MEMBER_UNREADABLE;
            group.problemDetail =
                entry.getName() + ": " + e.getClass().getSimpleName() + ": " + e.getMessage();
            emit(group, out);
            samples++;
            rejectRest(out, tarPath, in.getBytesRead(), samples, e);
            return;
          }
        }
        if (group != null) {
          emit(group, out);
          samples++;
        }
        if (samples == 0) {
          out.rejected(
              Rejects.of(
                  SampleIds.of(tarPath), tarPath, STAGE, TAR_EMPTY, "no members in the tar"));
        }
      } catch (IOException | RuntimeException e) {
        rejectRest(out, tarPath, in == null ? 0 : in.getBytesRead(), samples, e);
      } finally {
        if (in != null) {
          try {
            in.close();
          } catch (IOException ignored) {
            // a broken shard was already reported
          }
        }
      }
    }

    private void rejectRest(
        RecordSink<ImageTextSample> out, String tarPath, long offset, int samples, Exception e) {
      String source = tarPath + "#@" + offset;
      out.rejected(
          Rejects.of(
              SampleIds.of(source),
              source,
              STAGE,
              TAR_UNREADABLE,
              "unreadable from byte "
                  + offset
                  + " after "
                  + samples
                  + " samples: "
                  + e.getClass().getSimpleName()
                  + ": "
                  + e.getMessage()));
    }

    private void emit(Group group, RecordSink<ImageTextSample> out) {
      if (group.problemReason != null) {
        out.rejected(
            Rejects.of(
                group.sampleId, group.source, STAGE, group.problemReason, group.problemDetail));
        return;
      }
      String imageExt = null;
      for (String ext : group.members.keySet()) {
        if (ImageExtensions.isImage(ext)) {
          imageExt = ext;
          break;
        }
      }
      if (imageExt == null) {
        out.rejected(
            Rejects.of(
                group.sampleId,
                group.source,
                STAGE,
                IMAGE_MISSING,
                "members " + group.members.keySet() + " hold no image"));
        return;
      }
      String caption;
      List<InputColumn> columns = null;
      try {
        // the sidecar gives the caption when there is no txt, and the carried columns in any case
        byte[] json = group.members.get(ImageExtensions.CAPTION_JSON);
        boolean hasText = group.members.containsKey(ImageExtensions.CAPTION_TEXT);
        JsonCaption.Sidecar sidecar =
            json == null || (hasText && limits.carriedColumns().isEmpty())
                ? null
                : JsonCaption.read(json, limits.captionField(), limits.carriedColumns());
        if (sidecar != null) {
          columns = sidecar.columns();
        }
        if (hasText) {
          caption = Blobs.caption(group.members.get(ImageExtensions.CAPTION_TEXT));
        } else {
          caption = sidecar == null ? null : sidecar.caption();
        }
      } catch (IOException e) {
        out.rejected(
            Rejects.of(
                group.sampleId, group.source, STAGE, MALFORMED_ROW, "key.json: " + e.getMessage()));
        return;
      }
      if (columns == null) {
        columns = CarriedColumns.of(limits.carriedColumns(), name -> null);
      }
      if (caption == null) {
        out.rejected(
            Rejects.of(
                group.sampleId,
                group.source,
                STAGE,
                CAPTION_MISSING,
                "no txt member and no '" + limits.captionField() + "' in json"));
        return;
      }
      out.kept(
          ImageTextSample.newBuilder()
              .setSampleId(group.sampleId)
              .setSource(group.source + "." + imageExt)
              .setCaption(caption)
              .setImage(ByteBuffer.wrap(group.members.get(imageExt)))
              .setColumns(columns)
              .build());
    }
  }
}
