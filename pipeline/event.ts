/**
 * The event model (DESIGN.md "Event model"): a plain object with a few reserved keys.
 * Field names follow ECS as nested objects; `@metadata` is never shipped.
 */

export type FieldValue = string | number | boolean | null | FieldValue[] | FieldObject;
export interface FieldObject {
  [key: string]: FieldValue | undefined;
}

/** Connection facts an input records for each event. */
export interface InputMetadata {
  type: string;
  id: string;
  remote?: { ip?: string; port?: number };
  tls?: { subject?: string };
}

/**
 * Kept beside `@metadata._id`: the id sluice gave the event (a UUID of pipeline/id.ts). While
 * `_id` is still that very string, it holds nothing JSON must escape, and an output can quote it
 * without looking at it: JSON.stringify of each fresh id was a quarter of the Elasticsearch
 * output's own cost per event. A filter that sets another `_id` leaves this behind, so that id is
 * escaped as any other.
 */
export const GIVEN_ID: unique symbol = Symbol('sluice.given_id');

export interface EventMetadata extends FieldObject {
  _id?: string;
  input?: InputMetadata & FieldObject;
  [GIVEN_ID]?: string;
}

export interface Event extends FieldObject {
  '@timestamp'?: string;
  message?: FieldValue;
  tags?: FieldValue[];
  '@metadata'?: EventMetadata;
}

export const TIMESTAMP = '@timestamp';
export const METADATA = '@metadata';

export function isFieldObject(value: unknown): value is FieldObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Adds a tag once; tags stay a string array even when the source sent a scalar. */
export function addTag(event: Event, tag: string): void {
  const tags = event.tags;
  if (Array.isArray(tags)) {
    if (!tags.includes(tag)) tags.push(tag);
  } else if (tags === undefined || tags === null) {
    event.tags = [tag];
  } else {
    event.tags = [String(tags), tag];
  }
}

export function hasTag(event: Event, tag: string): boolean {
  return Array.isArray(event.tags) && event.tags.includes(tag);
}

/** Stamps the connection facts into `@metadata.input`, creating `@metadata` if needed. */
export function setInputMetadata(event: Event, input: InputMetadata): void {
  const meta = event[METADATA];
  if (isFieldObject(meta)) meta.input = input as InputMetadata & FieldObject;
  else event[METADATA] = { input: input as InputMetadata & FieldObject };
}

/** The event as shipped: without `@metadata`. Shallow: the event itself is not changed. */
export function withoutMetadata(event: Event): FieldObject {
  if (!(METADATA in event)) return event;
  const { [METADATA]: _dropped, ...shipped } = event;
  return shipped;
}
