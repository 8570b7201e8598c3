import { m0001 } from './0001-workspace-and-changes';
import { m0002 } from './0002-departments-indicators-tasks';
import { m0003 } from './0003-task-list-order';
import { m0004 } from './0004-supervision';
import { m0005 } from './0005-link-indexes';
import { m0006 } from './0006-supervision-index';
import { m0007 } from './0007-materials';
import { m0008 } from './0008-indicators-monitoring';
import { m0009 } from './0009-sync';
import { m0010 } from './0010-compliance';
import type { Migration } from './types';

/** All migrations in order. Add new ones at the end; never edit a released one. */
export const migrations: readonly Migration[] = [
  m0001,
  m0002,
  m0003,
  m0004,
  m0005,
  m0006,
  m0007,
  m0008,
  m0009,
  m0010,
];

export const LATEST_VERSION = migrations.length;

export type { Migration };
