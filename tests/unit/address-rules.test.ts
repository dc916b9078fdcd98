/**
 * The address form's own checks (src/features/address/address-rules.ts) agree with the contract the
 * server holds every save to (cloud/contract/address.ts): the same fields refused with the same
 * messages, so a shopper sees one message whichever side said no.
 */
import { AddressSaveInput } from '../../cloud/contract'
import { checkAddress, normalizePhone } from '../../src/features/address/address-rules'

const ok = { name: '王小明', phone: '13800138000', province: '浙江省', city: '杭州市', district: '西湖区', detail: '龙井路 1 号' }

const cases: Array<Partial<typeof ok>> = [
  {},
  { phone: '12345' },
  { phone: '12800138000' },
  { phone: '138001380001' },
  { phone: '+86 138-0013-8000' },
  { phone: '86 13800138000' },
  { phone: '1380013800O' },
  { name: '' },
  { name: '   ' },
  { name: '王'.repeat(20) },
  { name: '王'.repeat(21) },
  { name: '😀'.repeat(10) },
  { name: '😀'.repeat(11) },
  { detail: '路'.repeat(120) },
  { detail: '路'.repeat(121) },
  { detail: '' },
  { province: '' },
  { city: '' },
  { district: '' },
  { name: '王'.repeat(21), phone: '1', detail: '' },
  { name: '\u200b' },
  { name: '\u202e\u0007' },
  { detail: '\u200b\n' },
  { phone: '１３８００１３８０００' },
  { phone: '＋８６ １３８－００１３－８０００' },
]

/** The server's refusals as the form keys them: the first message per field (the form shows one). */
function serverErrors(fields: typeof ok): Record<string, string> {
  const parsed = AddressSaveInput.safeParse(fields)
  if (parsed.success) return {}
  const out: Record<string, string> = {}
  for (const issue of parsed.error.issues) out[String(issue.path[0])] ??= issue.message
  return out
}

test.each(cases)('form and server agree on %j', (change) => {
  const fields = { ...ok, ...change }
  const server = serverErrors(fields)
  const form = checkAddress(fields)
  // The form names the city only once a province is chosen; the server may name both.
  if (form.province) delete server.city
  expect(form).toEqual(server)
})

test('the form sends the phone as the server stores it', () => {
  expect(normalizePhone('+86 138-0013-8000')).toBe('13800138000')
  expect(AddressSaveInput.parse({ ...ok, phone: '+86 138-0013-8000' }).phone).toBe('13800138000')
})

test('a phone typed in full-width digits is folded to ASCII by the form and the server alike', () => {
  expect(normalizePhone('１３８ ００１３ ８０００')).toBe('13800138000')
  expect(AddressSaveInput.parse({ ...ok, phone: '＋８６ １３８－００１３－８０００' }).phone).toBe('13800138000')
})
