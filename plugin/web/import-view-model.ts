import Decimal from 'decimal.js';
import { IMPORT_TEXTS, type NoticeTone } from '../messages';
import type { PlannedChange } from '../sync/import/import-plan';
import type { RejectedRow } from '../sync/import/product-rows';
import { MAX_UPLOAD_BYTES } from '../sync/import/product-file';

export interface UploadFormView {
  action: string;
  csrfToken: string;
  label: string;
  hint: string;
  button: string;
  error: string | null;
  accept: string;
}

export interface PreviewRowView {
  row: number;
  name: string;
  details: string;
}

export interface PreviewSectionView {
  id: string;
  title: string;
  count: number;
  rows: PreviewRowView[];
  /** Column heading of `details`. */
  detailsHeading: string;
}

export interface ImportPageView {
  title: string;
  intro: string;
  notice: { tone: NoticeTone; text: string } | null;
  upload: UploadFormView;
  preview: {
    title: string;
    fileName: string;
    sections: PreviewSectionView[];
    nothingToDo: string | null;
    confirm: { action: string; csrfToken: string; button: string } | null;
  } | null;
}

const yesNo = (value: boolean | undefined): string => (value === undefined ? '' : value ? 'taxable' : 'not taxable');

function describeNew(change: Extract<PlannedChange, { action: 'create' }>): string {
  const item = change.item;
  return [item.kind === 'product' ? 'Product' : 'Service', item.unitPrice === null ? 'no price' : `price ${item.unitPrice}`, yesNo(item.taxable), item.sku ? `SKU ${item.sku}` : '']
    .filter((part) => part !== '')
    .join(', ');
}

const FIELD_LABELS: Record<string, string> = { description: 'description', sku: 'SKU', kind: 'type', unitPrice: 'price', taxable: 'taxable' };

function describeUpdate(change: Extract<PlannedChange, { action: 'update' }>): string {
  return change.changed
    .map((field) => {
      const before = change.existing[field as keyof typeof change.existing];
      const after = change.patch[field as keyof typeof change.patch];
      const show = (value: unknown): string => {
        if (value === null || value === undefined || value === '') return '(empty)';
        if (typeof value === 'boolean') return value ? 'yes' : 'no';
        return field === 'unitPrice' ? new Decimal(String(value)).toFixed() : String(value);
      };
      return `${FIELD_LABELS[field] ?? field}: ${show(before)} → ${show(after)}`;
    })
    .join('; ');
}

export function buildUploadForm(input: { basePath: string; csrfToken: string; error: string | null }): UploadFormView {
  return {
    action: `${input.basePath}/import/products`,
    csrfToken: input.csrfToken,
    label: IMPORT_TEXTS.fileLabel,
    hint: IMPORT_TEXTS.fileHint(MAX_UPLOAD_BYTES / (1024 * 1024)),
    button: IMPORT_TEXTS.uploadButton,
    error: input.error,
    accept: '.csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  };
}

/** The preview: what would be created, updated, left alone and rejected, each row with its reason. */
export function buildPreview(input: { basePath: string; csrfToken: string; importId: string; fileName: string; changes: PlannedChange[]; rejected: RejectedRow[] }): NonNullable<ImportPageView['preview']> {
  const creates = input.changes.filter((c): c is Extract<PlannedChange, { action: 'create' }> => c.action === 'create');
  const updates = input.changes.filter((c): c is Extract<PlannedChange, { action: 'update' }> => c.action === 'update');
  const unchanged = input.changes.filter((c) => c.action === 'unchanged');
  const rejected = [
    ...input.rejected,
    ...input.changes.flatMap((c) => (c.action === 'reject' ? [{ row: c.product.row, name: c.product.name, reason: c.reason }] : [])),
  ].sort((a, b) => a.row - b.row);
  const something = creates.length + updates.length > 0;
  return {
    title: IMPORT_TEXTS.previewTitle,
    fileName: input.fileName,
    sections: [
      { id: 'to-create', title: IMPORT_TEXTS.toCreate, detailsHeading: 'What it will be', count: creates.length, rows: creates.map((c) => ({ row: c.product.row, name: c.product.name, details: describeNew(c) })) },
      { id: 'to-update', title: IMPORT_TEXTS.toUpdate, detailsHeading: 'What changes', count: updates.length, rows: updates.map((c) => ({ row: c.product.row, name: c.product.name, details: describeUpdate(c) })) },
      { id: 'unchanged', title: IMPORT_TEXTS.unchanged, detailsHeading: 'Status', count: unchanged.length, rows: unchanged.map((c) => ({ row: c.product.row, name: c.product.name, details: 'Same as in Work' })) },
      { id: 'rejected', title: IMPORT_TEXTS.rejected, detailsHeading: 'Why', count: rejected.length, rows: rejected.map((r) => ({ row: r.row, name: r.name, details: r.reason })) },
    ],
    nothingToDo: something ? null : IMPORT_TEXTS.nothingToDo,
    confirm: something ? { action: `${input.basePath}/import/products/${input.importId}/confirm`, csrfToken: input.csrfToken, button: IMPORT_TEXTS.confirmButton } : null,
  };
}
