import { z } from 'zod';

// Shared shapes of user input; every string has an upper bound.
export const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .pipe(z.email({ message: 'not an email address' }));
export const password = z.string().min(10, 'at least 10 characters').max(200, 'at most 200 characters');
export const personName = z.string().trim().min(1, 'required').max(100, 'at most 100 characters');
export const title = z.string().trim().min(1, 'required').max(200, 'at most 200 characters');
export const slug = z
  .string()
  .trim()
  .toLowerCase()
  .min(2, 'at least 2 characters')
  .max(60, 'at most 60 characters')
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lower-case letters, digits and single dashes');
export const color = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a #RRGGBB colour');
export const secretToken = z.string().min(1, 'required').max(200, 'at most 200 characters');
