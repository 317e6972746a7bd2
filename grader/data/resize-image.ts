import sharp from "sharp";

/**
 * Converts one raw uint8 image (HWC, 1/3/4 channels) to the assignment's [h, w, c]: bilinear resize with sharp when
 * the size differs, then grey↔RGB conversion (alpha dropped).
 */
export async function toShape(
  pixels: Uint8Array, width: number, height: number, channels: number, target: [number, number, number],
): Promise<Uint8Array> {
  const [th, tw, tc] = target;
  let data = pixels;
  if (width !== tw || height !== th) {
    const out = await sharp(Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength), {
      raw: { width, height, channels: channels as 1 | 2 | 3 | 4 },
    })
      .resize(tw, th, { fit: "fill", kernel: "linear" })
      .raw()
      .toBuffer({ resolveWithObject: true });
    data = new Uint8Array(out.data.buffer, out.data.byteOffset, out.data.byteLength);
    channels = out.info.channels;
  }
  return convertChannels(data, tw * th, channels, tc);
}

/** Grey → RGB by replication, RGB(A) → grey by luminance, RGBA → RGB by dropping alpha. */
export function convertChannels(data: Uint8Array, pixels: number, from: number, to: number): Uint8Array {
  if (from === to) return data;
  const out = new Uint8Array(pixels * to);
  for (let p = 0; p < pixels; p++) {
    if (from <= 2) {
      for (let c = 0; c < to; c++) out[p * to + c] = data[p * from]!;
    } else if (to === 1) {
      out[p] = Math.round(0.299 * data[p * from]! + 0.587 * data[p * from + 1]! + 0.114 * data[p * from + 2]!);
    } else {
      for (let c = 0; c < to; c++) out[p * to + c] = data[p * from + c]!;
    }
  }
  return out;
}
