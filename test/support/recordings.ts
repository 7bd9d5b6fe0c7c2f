import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * Real QuickBooks responses recorded from Intuit's sandbox, kept inside the repository in
 * test/fixtures/qbo-recordings (with their SOURCES.md and LICENSES), so a clone needs nothing beside it.
 */
const recordingSchema = z.looseObject({
  topic: z.string(),
  source: z.string(),
  provenance: z.string(),
  request: z.looseObject({
    method: z.string(),
    path: z.string(),
    query: z.record(z.string(), z.unknown()).nullish(),
    rawQuery: z.string().nullish(),
    body: z.unknown(),
  }),
  response: z.looseObject({
    status: z.number().int(),
    headers: z.record(z.string(), z.string()),
    body: z.unknown(),
  }),
  faultCodes: z.array(z.string()).nullish(),
});

export type Recording = z.infer<typeof recordingSchema> & { file: string };

/** test/fixtures/qbo-recordings of this repository, never a folder outside it. */
export const RECORDINGS_DIR = path.resolve(__dirname, '..', 'fixtures', 'qbo-recordings');

export function recordingsDir(): string {
  if (!fs.existsSync(path.join(RECORDINGS_DIR, 'INDEX.md'))) throw new Error(`QBO recordings missing: ${RECORDINGS_DIR}`);
  return RECORDINGS_DIR;
}

export function loadRecording(file: string): Recording {
  const name = file.endsWith('.json') ? file : `${file}.json`;
  const raw: unknown = JSON.parse(fs.readFileSync(path.join(recordingsDir(), name), 'utf8'));
  return { ...recordingSchema.parse(raw), file: name };
}

export function allRecordings(): Recording[] {
  return fs
    .readdirSync(recordingsDir())
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map(loadRecording);
}

export function recordingsOfTopic(topic: string): Recording[] {
  return allRecordings().filter((r) => r.topic === topic);
}

/** The response body as it came over the wire: XML/HTML stays text, JSON is re-serialised. */
export function responseText(rec: Recording): string {
  const body = rec.response.body;
  return typeof body === 'string' ? body : JSON.stringify(body);
}
