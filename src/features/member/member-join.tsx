/**
 * Where the ways to join go (手机号开通, 添加企业微信): the channels part builds them. A placeholder
 * until then, rendering nothing.
 */
export function MemberJoin(_props: { onJoined?: () => void }) {
  return null
}
