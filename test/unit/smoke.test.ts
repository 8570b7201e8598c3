import { describe, expect, it } from 'vitest';
import { call, coreWithWorkspace } from '../helpers/core';

describe('smoke', () => {
  it('creates from template and lists tasks', async () => {
    const { core, close } = await coreWithWorkspace();
    const info = await call(core, 'app.info', {});
    console.log(info.workspace);
    const tasks = await call(core, 'tasks.list', {});
    expect(tasks.total).toBeGreaterThan(30);
    console.log(tasks.rows[0]);
    close();
  });
});
