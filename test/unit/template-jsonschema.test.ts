/**
 * resources/templates/template.schema.json is generated from the zod schema so template authors
 * get completion and validation in their editor. This test fails when the two drift apart;
 * regenerate with: UPDATE_TEMPLATE_SCHEMA=1 npx vitest run test/unit/template-jsonschema.test.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { TEMPLATE_FILES } from '../../main/core/workspace/template-schema';

const FILE = path.resolve('resources/templates/template.schema.json');

function generate(): string {
  const schemas = Object.fromEntries(
    Object.entries(TEMPLATE_FILES).map(([file, schema]) => [file, z.toJSONSchema(schema, { io: 'input' })]),
  );
  return `${JSON.stringify(
    {
      $comment:
        'Generated from main/core/workspace/template-schema.ts; one schema per file of a template folder.',
      files: schemas,
    },
    null,
    2,
  )}\n`;
}

describe('template JSON Schema', () => {
  it('matches the zod schema', () => {
    const text = generate();
    if (process.env.UPDATE_TEMPLATE_SCHEMA) fs.writeFileSync(FILE, text);
    expect(fs.readFileSync(FILE, 'utf8')).toBe(text);
  });

  it('describes the required fields of a task', () => {
    const schema = JSON.parse(fs.readFileSync(FILE, 'utf8')) as {
      files: Record<string, { items?: { required?: string[] } }>;
    };
    expect(schema.files['tasks.json']?.items?.required).toEqual(
      expect.arrayContaining(['code', 'title', 'standard', 'lead', 'dueMonth']),
    );
  });
});
