/**
 * The zod schemas of a user's id mapping (docs/trace-import.md), apart from decoder.ts so that an
 * import without a mapping never loads zod (the CLI's start-up).
 */
import { z } from 'zod';

/** One word of a payload: `word` is 1-based like xentrace's d1..d7; `shift`/`bits` cut a field. */
export const FieldRefSchema = z
  .object({
    word: z.number().int().min(1).max(7),
    shift: z.number().int().min(0).max(31).default(0),
    bits: z.number().int().min(1).max(32).default(32),
  })
  .strict();
export type FieldRef = z.infer<typeof FieldRefSchema>;

/**
 * A user's id mapping (docs/trace-import.md). `list-add` / `list-delete` records say a vCPU was
 * put on / taken off pCPU `pcpu`'s PI blocking list; without `pcpu`, the pCPU that wrote the
 * record is used.
 */
export const UserIdMappingSchema = z
  .object({
    id: z.number().int().min(1).max(0x0fffffff),
    kind: z.enum(['list-add', 'list-delete', 'ignore']),
    name: z.string().min(1).max(64).optional(),
    dom: FieldRefSchema.optional(),
    vcpu: FieldRefSchema.optional(),
    pcpu: FieldRefSchema.optional(),
  })
  .strict()
  .refine((m) => m.kind === 'ignore' || (m.dom && m.vcpu), {
    message: 'list-add and list-delete mappings need dom and vcpu fields',
  });
export type UserIdMapping = z.infer<typeof UserIdMappingSchema>;
export type UserIdMappingInput = z.input<typeof UserIdMappingSchema>;

/** Parses a mapping file's text (a JSON array of mappings); throws with the zod issues. */
export function parseUserIdMappings(text: string): UserIdMapping[] {
  const parsed = z.array(UserIdMappingSchema).max(4096).safeParse(JSON.parse(text));
  if (!parsed.success) {
    throw new Error(
      `invalid id mapping: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return parsed.data;
}
