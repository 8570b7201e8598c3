/** Lazy download: a blob a pulled record references is fetched from the server when first read. */
import { hasBlob } from '../blobs/blobs';
import type { CoreContext } from '../core';
import type { Workspace } from '../workspace/workspace';

/**
 * Makes sure the blob is on this laptop, downloading it when sync is configured. A failure is not
 * thrown: the caller's read then says the file is not here yet.
 */
export async function ensureBlob(ctx: CoreContext, ws: Workspace, sha256: string): Promise<void> {
  if (!/^[0-9a-f]{64}$/.test(sha256) || hasBlob(ws.dir, sha256) || !ctx.fetchBlob) return;
  try {
    await ctx.fetchBlob(ws, sha256);
  } catch {
    // offline or not on the server yet: the read reports the missing file
  }
}
