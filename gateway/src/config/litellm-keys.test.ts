import { expect, test } from 'bun:test'
import type { TObject } from '@sinclair/typebox'
import { DOCUMENTED_UNIMPLEMENTED, isDocumentedUnimplemented } from './litellm-keys.ts'
import * as schemas from './schema.ts'

const sectionSchemas = (Object.values(schemas) as unknown[]).filter(
  (s): s is TObject & { section: string } => typeof s === 'object' && s !== null && 'section' in s,
)

test('every list names a section some schema declares', () => {
  const declared = sectionSchemas.map((s) => s.section).sort()
  expect(Object.keys(DOCUMENTED_UNIMPLEMENTED).sort()).toEqual(declared)
})

test('no implemented key is also listed as unimplemented', () => {
  const overlaps = sectionSchemas.flatMap((s) =>
    Object.keys(s.properties).filter((key) => (DOCUMENTED_UNIMPLEMENTED[s.section] ?? []).includes(key)),
  )
  expect(overlaps).toEqual([])
})

test.each([
  ['litellm_params', 'aws_role_name', true],
  ['model_info', 'supports_function_calling', true],
  ['model_info', 'supports', false],
  ['litellm_settings', 'cache', true],
  ['general_settings', 'store_model_in_db', true],
  ['router_settings', 'model_group_alias', true],
  ['', 'callback_settings', true],
  ['litellm_params', 'modle', false],
  ['nowhere', 'cache', false],
])('in section %p, %p is documented-unimplemented: %p', (section, key, expected) => {
  expect(isDocumentedUnimplemented(section, key)).toBe(expected)
})
