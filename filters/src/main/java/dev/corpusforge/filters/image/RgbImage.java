package dev.corpusforge.filters.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A decoded RGB image ({@link BufferedImage#TYPE_INT_RGB}, as {@link ImageCodec} decodes) that
 * travels between pipeline stages: serialised as its raw pixels, never re-encoded, so a stage
 * boundary costs a copy of the pixels and no codec work or loss.
 */
public final class RgbImage implements Serializable {
  @Serial private static final long serialVersionUID = 1L;

  private transient BufferedImage image;

  public RgbImage(BufferedImage image) {
    if (image.getType() != BufferedImage.TYPE_INT_RGB) {
      throw new IllegalArgumentException("not TYPE_INT_RGB: type " + image.getType());
    }
    this.image = image;
    if (image.getRaster().getDataBuffer().getSize() != image.getWidth() * image.getHeight()
        || image.getRaster().getSampleModelTranslateX() != 0
        || image.getRaster().getSampleModelTranslateY() != 0) {
      // a view into a larger raster (a sub-image): keep a copy of its own pixels
      BufferedImage own =
          new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
      own.getRaster().setRect(image.getRaster());
      this.image = own;
    }
  }

  public BufferedImage image() {
    return image;
  }

  /**
   * The SHA-256 of the size and pixels, in hex: the decoded content, whatever file it came from.
   */
  public String pixelSha256() {
    ByteBuffer bytes = ByteBuffer.allocate(8 + 4 * image.getWidth() * image.getHeight());
    bytes.putInt(image.getWidth()).putInt(image.getHeight());
    bytes.asIntBuffer().put(pixels(image));
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.array()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }

  @Serial
  private void writeObject(ObjectOutputStream out) throws IOException {
    out.writeInt(image.getWidth());
    out.writeInt(image.getHeight());
    out.writeObject(pixels(image));
  }

  @Serial
  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    int w = in.readInt();
    int h = in.readInt();
    int[] pixels = (int[]) in.readObject();
    image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    System.arraycopy(pixels, 0, pixels(image), 0, pixels.length);
  }

  private static int[] pixels(BufferedImage rgb) {
    return ((DataBufferInt) rgb.getRaster().getDataBuffer()).getData();
  }
}
