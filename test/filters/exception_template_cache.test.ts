/**
 * The cache of recent templates (filters/exception/message_template.ts) answers from a slot only
 * when the message's template is the slot's to the character: with four slots, messages whose
 * templates collide, nearly match or hold placeholder text of their own always get the value of
 * their own template.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { messageTemplate, TemplateCache } from '../../filters/exception/message_template.js';
import { fuzz } from '../fuzz/fuzz.js';

const WORDS = ['user', 'users', 'order', 'id', 'v2', '<num>', "'<str>'", '"x"', "'x'", 'at', '0x1f', '10.0.0.1', 'a@b.io', 'http://h/p', '2026-12-01', ' ', ':', '.', '-', '42', '7', 'é'];
const message = fc.array(fc.constantFrom(...WORDS), { maxLength: 12 }).map((parts) => parts.join(' '));

describe('template cache', () => {
  it('gives the value of the message template, whatever came before in the same slot', () => {
    fuzz(
      fc.property(fc.array(fc.oneof(message, fc.string({ maxLength: 60 })), { minLength: 1, maxLength: 40 }), (messages) => {
        const cache = new TemplateCache((template) => ({ template }), 2);
        for (const text of messages) expect(cache.of(text).template).toBe(messageTemplate(text));
      }),
      500,
    );
  });

  it('builds a template once while it stays in its slot', () => {
    const made: string[] = [];
    const cache = new TemplateCache((template) => made.push(template), 4);
    for (let i = 0; i < 100; i++) expect(cache.of(`user ${i} not found after ${i % 7} tries`)).toBe(1);
    expect(made).toEqual(['user <num> not found after <num> tries']);
    expect(cache.of('user 5 not found after 2 tries!')).toBe(2);
  });

  it('tells apart two templates of the same hash', () => {
    // Two texts with one 32-bit FNV-1a hash, found by a search: the slot comparison is what tells them apart.
    const cache = new TemplateCache((template) => template, 0);
    expect(cache.of('job mhizmtt')).toBe('job mhizmtt');
    expect(cache.of('job witwvyg')).toBe('job witwvyg');
    expect(cache.of('job mhizmtt')).toBe('job mhizmtt');
  });

  it('tells a placeholder from the same text written in the message', () => {
    const cache = new TemplateCache((template) => template, 0);
    expect(cache.of('took 5 ms')).toBe('took <num> ms');
    expect(cache.of('took <num> ms')).toBe('took <num> ms');
    expect(cache.of("key '<str>'")).toBe("key '<str>'");
    expect(cache.of('key "<str>"')).toBe('key "<str>"');
    expect(cache.of('key "a"')).toBe('key "<str>"');
  });
});
