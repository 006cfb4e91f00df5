import { InvalidInputError } from '../errors.js';
import { builder } from './builder.js';

builder.scalarType('DateTime', {
  description: 'An instant, as an ISO 8601 string in UTC.',
  serialize: (value) => value.toISOString(),
  parseValue: (value) => {
    const date = typeof value === 'string' && value.length <= 40 ? new Date(value) : new Date(Number.NaN);
    if (Number.isNaN(date.getTime())) {
      throw new InvalidInputError('Not a date-time.', [{ path: 'DateTime', message: 'expected ISO 8601' }]);
    }
    return date;
  },
});

builder.scalarType('BigInt', {
  description: 'A whole number too large for Int, as a decimal string.',
  serialize: (value) => value.toString(),
  parseValue: (value) => {
    if (typeof value !== 'string' || !/^-?\d{1,20}$/.test(value)) {
      throw new InvalidInputError('Not an integer string.', [{ path: 'BigInt', message: 'expected digits' }]);
    }
    return BigInt(value);
  },
});

builder.scalarType('File', {
  description: 'A file sent as a part of a multipart request (GraphQL multipart request spec).',
  serialize: () => {
    throw new Error('File is an input only.');
  },
  // Only the multipart parser makes a file: anything a JSON body holds (a number, a string, an
  // object) is bad input, not something for a resolver to read bytes from.
  parseValue: (value) => {
    const file = value as Partial<File> | null;
    if (
      typeof file !== 'object' ||
      file === null ||
      typeof file.arrayBuffer !== 'function' ||
      typeof file.name !== 'string'
    ) {
      throw new InvalidInputError('Not a file: send it as a part of a multipart request.', [
        { path: 'File', message: 'expected a multipart file' },
      ]);
    }
    return file as File;
  },
});
