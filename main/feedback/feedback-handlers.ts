import type { Handlers } from '../ipc/router.ts';
import type { FeedbackService } from './feedback-service.ts';

type FeedbackHandlers = Pick<
  Handlers,
  | 'feedback:endpoint'
  | 'feedback:draft'
  | 'feedback:partText'
  | 'feedback:send'
  | 'feedback:list'
  | 'feedback:retry'
  | 'feedback:remove'
  | 'feedback:reveal'
>;

export function createFeedbackHandlers(f: FeedbackService): FeedbackHandlers {
  return {
    'feedback:endpoint': () => f.endpoint(),
    'feedback:draft': (input) => f.draft(input),
    'feedback:partText': ({ draftId, partId, offset, limit }) => f.partText(draftId, partId, offset, limit),
    'feedback:send': ({ draftId, exclude }) => f.send(draftId, exclude),
    'feedback:list': () => f.list(),
    'feedback:retry': ({ id }) => f.retry(id),
    'feedback:remove': ({ id }) => f.remove(id),
    'feedback:reveal': ({ id }) => f.reveal(id),
  };
}
