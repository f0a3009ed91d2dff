// Reads a byte stream up to a limit and stops there: the rest is never read or buffered.

export interface Capped {
  bytes: Uint8Array;
  /** The stream had more than `limit` bytes; `bytes` holds the first `limit`. */
  overflow: boolean;
}

async function* chunksOf(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    // Stopping early cancels the stream, so its source stops producing.
    await reader.cancel().catch(() => {});
  }
}

/** Leaving early cancels a web stream or destroys a Node one (the iterator's return()). */
export async function readCapped(stream: AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>, limit: number): Promise<Capped> {
  const source = Symbol.asyncIterator in stream ? (stream as AsyncIterable<Uint8Array>) : chunksOf(stream as ReadableStream<Uint8Array>);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of source) {
    if (size + chunk.length > limit) {
      chunks.push(chunk.subarray(0, limit - size));
      return { bytes: Buffer.concat(chunks), overflow: true };
    }
    chunks.push(chunk);
    size += chunk.length;
  }
  return { bytes: Buffer.concat(chunks), overflow: false };
}
