/**
 * Opens an xlsx or csv file as a streamed table (format sniffed from the bytes, not the name).
 * STUB — implemented by the readers work (see /tmp/prompts/readers.md).
 */
import type { OpenTableOptions, TableReader } from '../types';

export async function openTable(path: string, opts: OpenTableOptions = {}): Promise<TableReader> {
  void path;
  void opts;
  throw new Error('openTable: not implemented yet');
}
