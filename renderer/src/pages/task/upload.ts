import { call } from '../../api';

/** Chunk size of attachments.upload (the contract allows ≤ 4 MB of data per call). */
const CHUNK = 4 * 1024 * 1024;

function base64Of(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => {
      const url = String(r.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    r.onerror = () => reject(r.error ?? new Error('read failed'));
    r.readAsDataURL(blob);
  });
}

/**
 * Sends a file to the core in 4 MB base64 chunks (first call with uploadId null, then the
 * returned id) and returns the reference feedback.add / attachments.add take.
 */
export async function uploadFile(
  file: File,
  onProgress?: (sent: number, total: number) => void,
): Promise<{ uploadId: string; name: string }> {
  let uploadId: string | null = null;
  let offset = 0;
  do {
    const slice = file.slice(offset, offset + CHUNK);
    let data: string;
    try {
      data = await base64Of(slice);
    } catch {
      throw new Error(`无法读取文件「${file.name}」，请确认文件仍在原处且未被其他程序占用。`);
    }
    const r: { uploadId: string } = await call('attachments.upload', { uploadId, data });
    uploadId = r.uploadId;
    offset += CHUNK;
    onProgress?.(Math.min(offset, file.size), file.size);
  } while (offset < file.size);
  return { uploadId, name: file.name };
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1048576) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1048576).toFixed(1)} MB`;
}
