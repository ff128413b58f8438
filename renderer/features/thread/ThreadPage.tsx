import { useSearchParams } from 'wouter';

/** The Thread page (transcript + side panel). Being built: see renderer/features/thread/. */
export function ThreadPage({ id }: { id: string }) {
  const [params] = useSearchParams();
  return (
    <div
      className="thread-page"
      data-testid="thread-page"
      data-thread-id={id}
      data-at={params.get('at') ?? ''}
    >
      {id}
    </div>
  );
}
