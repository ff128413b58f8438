import { describe, expect, it } from 'vitest';
import { FeedbackConfigError, feedbackConfigFromEnv } from './feedback-config.ts';

describe('feedbackConfigFromEnv', () => {
  it('reads the endpoint and the size limit; blanks keep the defaults', () => {
    expect(feedbackConfigFromEnv({})).toEqual({ endpoint: null, maxBytes: null });
    expect(
      feedbackConfigFromEnv({ THREADSCOPE_FEEDBACK_ENDPOINT: '  ', THREADSCOPE_FEEDBACK_MAX_BYTES: '' }),
    ).toEqual({
      endpoint: null,
      maxBytes: null,
    });
    expect(
      feedbackConfigFromEnv({
        THREADSCOPE_FEEDBACK_ENDPOINT: ' https://key@o1.ingest.sentry.io/42 ',
        THREADSCOPE_FEEDBACK_MAX_BYTES: '5000000',
      }),
    ).toEqual({ endpoint: 'https://key@o1.ingest.sentry.io/42', maxBytes: 5_000_000 });
  });

  it('names a size it cannot use', () => {
    expect(() => feedbackConfigFromEnv({ THREADSCOPE_FEEDBACK_MAX_BYTES: '12MB' })).toThrow(
      FeedbackConfigError,
    );
    expect(() => feedbackConfigFromEnv({ THREADSCOPE_FEEDBACK_MAX_BYTES: '10' })).toThrow(/at least 1024/);
  });
});
