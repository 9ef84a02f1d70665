package dev.corpusforge.pipelines.io;

import java.util.Locale;
import java.util.Set;

/** File name extensions read as images and as captions. */
public final class ImageExtensions {
  public static final Set<String> IMAGES = Set.of("jpg", "jpeg", "png", "webp", "gif", "bmp");
  public static final String CAPTION_TEXT = "txt";
  public static final String CAPTION_JSON = "json";

  private ImageExtensions() {}

  public static boolean isImage(String extension) {
    return IMAGES.contains(extension.toLowerCase(Locale.ROOT));
  }
}
