import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * Real QuickBooks responses recorded from Intuit's sandbox, kept beside the clone in shared/qbo-recordings
 * (CI checks out shared/ next to the repository). Found by walking up from this file, so the tests run
 * from any worktree.
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

let cachedDir: string | null = null;

export function recordingsDir(): string {
  if (cachedDir) return cachedDir;
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, 'shared', 'qbo-recordings');
    if (fs.existsSync(path.join(candidate, 'INDEX.md'))) {
      cachedDir = candidate;
      return candidate;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`shared/qbo-recordings not found above ${__dirname}`);
    dir = parent;
  }
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
