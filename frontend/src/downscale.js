// The photo at the size it will be painted, made in the browser: a 12 MP phone photo is 3-6 MB to upload and
// the painter works at 512 px anyway, so sending more only costs the visitor's data and time. Decoding goes
// through createImageBitmap, which applies the EXIF orientation, so a portrait phone photo stays upright.

const JPEG_QUALITY = 0.92;

/**
 * {blob, width, height, scaled}: `file` when its longest side is already at most `longest` pixels (or no size
 * is known), else a JPEG of it at that longest side. Throws when the browser cannot decode it.
 */
export async function downscale(file, longest) {
  const bitmap = await createImageBitmap(file);
  const { width, height } = bitmap;
  if (!longest || Math.max(width, height) <= longest) {
    bitmap.close();
    return { blob: file, width, height, scaled: false };
  }
  const scale = longest / Math.max(width, height);
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(width * scale));
  canvas.height = Math.max(1, Math.round(height * scale));
  const context = canvas.getContext('2d');
  context.fillStyle = '#fff'; // a transparent PNG's background, as the painter sees it (RGB)
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.imageSmoothingEnabled = true;
  context.imageSmoothingQuality = 'high';
  context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  const blob = await new Promise((resolve, reject) => canvas.toBlob(
    (made) => (made ? resolve(made) : reject(new Error('The photo could not be resized in this browser.'))),
    'image/jpeg', JPEG_QUALITY));
  return { blob, width: canvas.width, height: canvas.height, scaled: true };
}
