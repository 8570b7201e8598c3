/** The briefing deck (汇报PPT): pptxgenjs, 16:9, one theme, native charts, speaker notes. */
import type { z } from 'zod';
import type { BriefingInput } from '../contract/indicators';
import { AppError } from '../util/errors';
import type { Workspace } from '../workspace/workspace';

export interface RenderedDeck {
  data: Buffer;
  slides: number;
  charts: number;
}

export async function renderBriefing(
  _ws: Workspace,
  _input: z.output<typeof BriefingInput>,
  _now: Date,
  _progress: (done: number, total: number | null, message: string) => void,
): Promise<RenderedDeck> {
  throw new AppError('UNSUPPORTED', '尚未实现');
}
