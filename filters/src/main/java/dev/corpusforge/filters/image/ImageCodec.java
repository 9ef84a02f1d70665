package dev.corpusforge.filters.image;

import static dev.corpusforge.filters.image.ImageReasons.*;

import dev.corpusforge.core.RuleViolation;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

/**
 * Image I/O on top of ImageIO with the TwelveMonkeys plugins (CMYK/YCCK JPEG, WebP): header probe
 * without decoding, decode of the first frame to 8-bit RGB, and encode.
 *
 * <p>Transparent pixels are composited over white ({@link RgbRows}): clip art and logos are drawn
 * on transparent backgrounds, and black (the other common choice) hides dark line art.
 */
public final class ImageCodec {
  static {
    ImageIO.setUseCache(false);
    ImageIO.scanForPlugins();
  }

  private ImageCodec() {}

  /** Reads format and dimensions from the header; throws with a reason when that is impossible. */
  public static ImageHeader probe(byte[] bytes) throws RuleViolation {
    if (bytes == null) {
      throw new RuleViolation(IMAGE_MISSING, "no image bytes");
    }
    if (bytes.length == 0) {
      throw new RuleViolation(IMAGE_EMPTY, "0 bytes");
    }
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      ImageReader reader = firstReader(in, bytes);
      try {
        reader.setInput(in, true, true);
        return new ImageHeader(formatName(reader), reader.getWidth(0), reader.getHeight(0));
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      throw new RuleViolation(IMAGE_HEADER_UNREADABLE, describe(e));
    }
  }

  /** Decodes the first frame to an RGB image ({@link BufferedImage#TYPE_INT_RGB}). */
  public static BufferedImage decodeRgb(byte[] bytes) throws RuleViolation {
    return toRgb(decode(bytes));
  }

  /**
   * Decodes the first frame in the decoder's own layout. Call after {@link #probe} and the pixel
   * cap: this allocates width × height × 4 bytes or more.
   */
  public static BufferedImage decode(byte[] bytes) throws RuleViolation {
    List<String> warnings = new ArrayList<>();
    BufferedImage decoded;
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      ImageReader reader = firstReader(in, bytes);
      try {
        reader.setInput(in, true, true);
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        ImageReadParam param = reader.getDefaultReadParam();
        decoded = reader.read(0, param);
      } finally {
        reader.dispose();
      }
    } catch (RuleViolation e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      String message = describe(e);
      if (looksTruncated(message)) {
        throw new RuleViolation(IMAGE_TRUNCATED, message);
      }
      throw new RuleViolation(IMAGE_DECODE_FAILED, message);
    }
    for (String warning : warnings) {
      if (looksTruncated(warning)) {
        throw new RuleViolation(IMAGE_TRUNCATED, warning);
      }
    }
    return decoded;
  }

  /** Returns {@code image} as TYPE_INT_RGB with the pixels {@link RgbRows} defines. */
  public static BufferedImage toRgb(BufferedImage image) {
    if (image.getType() == BufferedImage.TYPE_INT_RGB) {
      return image;
    }
    int w = image.getWidth();
    BufferedImage rgb = new BufferedImage(w, image.getHeight(), BufferedImage.TYPE_INT_RGB);
    int[] dst = ((DataBufferInt) rgb.getRaster().getDataBuffer()).getData();
    RgbRows.forEach(image, (y, row) -> System.arraycopy(row, 0, dst, y * w, w));
    return rgb;
  }

  /** Encodes an RGB image as {@code jpeg} (with quality 0..1) or {@code png}. */
  public static byte[] encode(BufferedImage rgb, String format, float jpegQuality)
      throws IOException {
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(format);
    if (!writers.hasNext()) {
      throw new IOException("no ImageIO writer for " + format);
    }
    ImageWriter writer = writers.next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      if ("jpeg".equals(format)) {
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(jpegQuality);
      }
      writer.write(null, new IIOImage(rgb, null, null), param);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  private static ImageReader firstReader(ImageInputStream in, byte[] bytes) throws RuleViolation {
    if (in == null) {
      throw new RuleViolation(IMAGE_HEADER_UNREADABLE, "no image input stream");
    }
    Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
    if (!readers.hasNext()) {
      throw new RuleViolation(
          IMAGE_UNKNOWN_FORMAT, "no decoder recognises the content; starts with " + magic(bytes));
    }
    return readers.next();
  }

  private static String formatName(ImageReader reader) throws IOException {
    String name = reader.getFormatName().toLowerCase(Locale.ROOT);
    return switch (name) {
      case "jpg", "jpeg", "jpeg-lossless", "jpeg-ls" -> "jpeg";
      case "wbmp" -> "bmp";
      default -> name;
    };
  }

  private static boolean looksTruncated(String message) {
    String m = message.toLowerCase(Locale.ROOT);
    return m.contains("premature end")
        || m.contains("eofexception")
        || m.contains("unexpected end")
        || m.contains("end of stream")
        || m.contains("truncated");
  }

  private static String describe(Throwable e) {
    StringBuilder sb =
        new StringBuilder(e.getClass().getSimpleName()).append(": ").append(e.getMessage());
    Throwable cause = e.getCause();
    if (cause != null && cause != e) {
      sb.append(" (caused by ")
          .append(cause.getClass().getSimpleName())
          .append(": ")
          .append(cause.getMessage())
          .append(')');
    }
    return sb.toString();
  }

  /** The first bytes as text if printable, else hex: tells an HTML page from binary garbage. */
  private static String magic(byte[] bytes) {
    int n = Math.min(bytes.length, 16);
    boolean printable = true;
    for (int i = 0; i < n; i++) {
      int b = bytes[i] & 0xff;
      if (b < 0x09 || (b > 0x0d && b < 0x20) || b > 0x7e) {
        printable = false;
        break;
      }
    }
    if (printable) {
      return "'"
          + new String(bytes, 0, n, java.nio.charset.StandardCharsets.US_ASCII).strip()
          + "'";
    }
    StringBuilder hex = new StringBuilder("0x");
    for (int i = 0; i < n; i++) {
      hex.append(String.format("%02x", bytes[i]));
    }
    return hex.toString();
  }
}
