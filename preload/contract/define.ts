import type { z } from 'zod';

export interface MethodDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly input: I;
  readonly output: O;
  readonly description: string;
}

export const method = <I extends z.ZodType, O extends z.ZodType>(
  description: string,
  input: I,
  output: O,
): MethodDef<I, O> => ({ input, output, description });
