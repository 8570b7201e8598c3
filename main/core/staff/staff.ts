import type { z } from 'zod';
import type { Staff, StaffInput, StaffRole } from '../contract/workspace';
import { AppError } from '../util/errors';
import type { Workspace } from '../workspace/workspace';

interface Row {
  id: string;
  name: string;
  role: StaffRole;
  phone: string | null;
  email: string | null;
  active: number;
}

const toStaff = (r: Row): Staff => ({ ...r, active: r.active === 1 });

export function listStaff(ws: Workspace): { staff: Staff[]; meId: string | null } {
  const rows = ws.db
    .prepare(
      'SELECT id, name, role, phone, email, active FROM staff WHERE deleted = 0 ORDER BY created_at, id',
    )
    .all() as Row[];
  return { staff: rows.map(toStaff), meId: ws.meId };
}

export function getStaff(ws: Workspace, id: string): Staff {
  const r = ws.db
    .prepare('SELECT id, name, role, phone, email, active FROM staff WHERE id = ? AND deleted = 0')
    .get(id) as Row | undefined;
  if (!r) throw new AppError('NOT_FOUND', '该驻场人员不存在或已被删除。');
  return toStaff(r);
}

type In = z.output<typeof StaffInput>;

export function createStaff(ws: Workspace, input: In): Staff {
  const { value: id } = ws.writer.transact(ws.actor(), (tx) =>
    tx.insert('staff', {
      name: input.name,
      role: input.role,
      phone: input.phone,
      email: input.email,
      active: input.active,
    }),
  );
  return getStaff(ws, id);
}

export function updateStaff(ws: Workspace, id: string, patch: Partial<In>): Staff {
  getStaff(ws, id);
  ws.writer.transact(ws.actor(), (tx) =>
    tx.update('staff', id, {
      name: patch.name,
      role: patch.role,
      phone: patch.phone,
      email: patch.email,
      active: patch.active,
    }),
  );
  return getStaff(ws, id);
}

export function setMe(ws: Workspace, id: string): void {
  getStaff(ws, id);
  ws.setMe(id);
}
