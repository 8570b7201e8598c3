import { call } from './api';

/** Saves a file produced by an export command to the user's downloads (browser) via the core. */
export async function downloadExport(file: string): Promise<void> {
  const r = await call('exports.read', { file });
  const bytes = Uint8Array.from(atob(r.base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes]));
  const a = document.createElement('a');
  a.href = url;
  a.download = r.name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Opens an exported file with the system program (desktop app only). */
export async function openExport(file: string): Promise<void> {
  await call('exports.open', { file });
}
