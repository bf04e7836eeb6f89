import { describe, expect, test } from 'bun:test'
import { inspectCompletion, inspectStream } from './completion.ts'
import type { SseRead } from './sse.ts'

const GOOD = {
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1,
  model: 'm',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hi' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
}

describe('inspectCompletion', () => {
  test('a valid completion yields its text, finish reason and usage', () => {
    expect(inspectCompletion(GOOD)).toEqual({ problems: [], text: 'Hi', finishReasons: ['stop'], usage: { promptTokens: 1, completionTokens: 1, totalTokens: 2 } })
  })

  test('names every shape problem', () => {
    const bad = { object: 'completion', choices: [{ message: { role: 'user', content: 5 }, finish_reason: 'end_turn' }], usage: { prompt_tokens: -1 } }
    expect(inspectCompletion(bad).problems).toEqual([
      'id is missing or empty',
      'object is "completion", expected "chat.completion"',
      'created is not a number',
      'model is not a string',
      'choices[0].message.role is "user", expected "assistant"',
      'choices[0].message.content is neither a string nor null',
      'choices[0].finish_reason "end_turn" is not an OpenAI finish reason',
      'usage lacks non-negative integer prompt_tokens, completion_tokens and total_tokens',
    ])
    expect(inspectCompletion({ ...GOOD, usage: undefined, choices: [] }).problems).toEqual(['choices is not a non-empty array of objects', 'usage is missing'])
    expect(inspectCompletion('nope').problems).toEqual(['the body is not a JSON object'])
  })
})

const chunk = (delta: object, finish: string | null = null, extra: object = {}) =>
  JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }], ...extra })
const read = (...data: string[]): SseRead => ({ events: data.map((d, i) => ({ data: d, at: i * 10 })), comments: 0, problems: [], done: data.includes('[DONE]'), raw: '' })

describe('inspectStream', () => {
  test('a valid stream yields text, ttft, one finish reason and usage', () => {
    const usage = JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [], usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } })
    const view = inspectStream(read(chunk({ role: 'assistant', content: '' }), chunk({ content: 'He' }), chunk({ content: 'llo' }), chunk({}, 'stop'), usage, '[DONE]'))
    expect(view).toEqual({ problems: [], text: 'Hello', finishReasons: ['stop'], chunks: 5, ttftMs: 10, usage: { promptTokens: 3, completionTokens: 2, totalTokens: 5 } })
  })

  test('names chunk problems', () => {
    const other = JSON.stringify({ id: 'c2', object: 'chat.completion', choices: [{ index: 0, delta: { content: 'x' }, finish_reason: 'stop' }] })
    expect(inspectStream(read('not json', chunk({ content: 'a' }), chunk({}, 'stop'), chunk({ content: 'late' }), other, '[DONE]')).problems).toEqual([
      'data is not JSON: "not json"',
      'content arrived after the finish_reason chunk',
      `a chunk's object is "chat.completion", expected "chat.completion.chunk"`,
      'chunk ids differ (2 distinct ids)',
      'finish_reason was sent 2 times',
    ])
    expect(inspectStream(read(chunk({ content: 'a' }), '[DONE]')).problems).toEqual(['no chunk carried a finish_reason'])
    expect(inspectStream(read('[DONE]')).problems).toEqual(['no completion chunks were sent'])
  })

  test('an in-stream error frame is reported, not counted as a chunk', () => {
    const view = inspectStream(read(chunk({ content: 'a' }), JSON.stringify({ error: { message: 'upstream died', type: 'api_error', code: 'provider_stream_error' } }), '[DONE]'))
    expect(view.errorFrame).toEqual({ message: 'upstream died', type: 'api_error', code: 'provider_stream_error', param: null })
    expect(view.problems).toEqual([])
  })
})
