/**
 * Orders a run's writes in dependency layers (pure): customers (and sub-customers, parents first), items,
 * invoices, payments. Each layer is cut into batches of at most 30 (Intuit's batch limit), so a payment
 * goes out after its invoice, and an invoice after its customer and items, within the same run.
 * Within a layer the order is stable (by the caller's order), so a re-run sends the same batches.
 */
import { MAX_BATCH_ITEMS } from '../../qbo/batch';

export const PUSH_LAYERS = ['customers', 'sub_customers', 'items', 'invoices', 'payments'] as const;
export type PushLayer = (typeof PUSH_LAYERS)[number];

export interface LayeredWrite<T> {
  layer: PushLayer;
  write: T;
}

export interface PushStep<T> {
  layer: PushLayer;
  /** 0-based index of the batch within its layer. */
  index: number;
  writes: T[];
}

/** The writes as steps: layer by layer in dependency order, each layer in batches of ≤ batchSize. */
export function planPushLayers<T>(writes: readonly LayeredWrite<T>[], batchSize: number = MAX_BATCH_ITEMS): PushStep<T>[] {
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH_ITEMS) {
    throw new RangeError(`batch size must be 1-${MAX_BATCH_ITEMS}, got ${batchSize}`);
  }
  const steps: PushStep<T>[] = [];
  for (const layer of PUSH_LAYERS) {
    const inLayer = writes.filter((w) => w.layer === layer).map((w) => w.write);
    for (let start = 0, index = 0; start < inLayer.length; start += batchSize, index += 1) {
      steps.push({ layer, index, writes: inLayer.slice(start, start + batchSize) });
    }
  }
  return steps;
}

/** The layer a write must wait for, or null: what a record of this layer depends on. */
export function layerBefore(layer: PushLayer): PushLayer | null {
  const at = PUSH_LAYERS.indexOf(layer);
  return at <= 0 ? null : (PUSH_LAYERS[at - 1] ?? null);
}
