// The calendar: scheduled posts placed on a week or a month in the viewer's time zone (shown,
// changeable, remembered), or as a list. Drag a post to another day to reschedule it (same time
// of day); or open it (keyboard or click) to pick a new time or unschedule it.
import { Dialog } from '@kobalte/core/dialog';
import { A } from '@solidjs/router';
import { createMutation } from '@urql/solid';
import { createMemo, createSignal, For, Show } from 'solid-js';
import {
  ConfirmButton,
  createLiveQuery,
  Empty,
  notify,
  notifyProblem,
  onLiveEvent,
  PageHeader,
  ProblemNotice,
  Skeleton,
} from '../components/ui';
import { graphql } from '../gql';
import type { CalendarQuery } from '../gql/graphql';
import { outcomeOf, problemOf } from '../lib/errors';
import {
  addDays,
  dayKey,
  fromZonedInput,
  instantOf,
  knownZones,
  toZonedInput,
  wallTime,
  weekday,
  type WallTime,
} from '../lib/zoned';
import { useSession } from '../session';
import './calendar.css';

const CalendarDocument = graphql(`
  query Calendar($organizationId: ID!, $brandId: ID!, $from: DateTime, $to: DateTime) {
    organization(id: $organizationId) {
      id
      posts(
        brandId: $brandId
        status: [SCHEDULED]
        scheduledFrom: $from
        scheduledTo: $to
        orderBy: SCHEDULED_AT
        first: 100
      ) {
        totalCount
        edges {
          node {
            id
            title
            caption
            scheduledAt
            publications {
              id
              platform
              state
            }
          }
        }
      }
    }
  }
`);

const CalendarPostDocument = graphql(`
  subscription CalendarPost($brandId: ID!) {
    postChanged(brandId: $brandId) {
      id
      status
      scheduledAt
    }
  }
`);

const ReschedulePostDocument = graphql(`
  mutation ReschedulePost($id: ID!, $scheduledAt: DateTime!) {
    reschedulePost(id: $id, scheduledAt: $scheduledAt) {
      __typename
      ... on MutationReschedulePostSuccess {
        data {
          id
          status
          scheduledAt
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

const UnschedulePostDocument = graphql(`
  mutation UnschedulePost($id: ID!) {
    unschedulePost(id: $id) {
      __typename
      ... on MutationUnschedulePostSuccess {
        data {
          id
          status
          scheduledAt
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

type View = 'week' | 'month' | 'list';
const zoneKey = 'pressroom.timezone';
const viewKey = 'pressroom.calendarView';

function stored(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}
function store(key: string, value: string) {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Storage refused (a private window): the choice lasts for this page.
  }
}

type CalendarPost = NonNullable<CalendarQuery['organization']>['posts']['edges'][number]['node'];
type ScheduledPost = CalendarPost & { scheduledAt: string };

export default function Calendar() {
  const session = useSession();
  const zones = knownZones();
  const [zone, setZoneSignal] = createSignal(
    stored(zoneKey) ?? session.organization()?.settings?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
  );
  const setZone = (value: string) => {
    store(zoneKey, value);
    setZoneSignal(value);
  };
  const [view, setViewSignal] = createSignal<View>((stored(viewKey) as View | null) ?? 'week');
  const setView = (value: View) => {
    store(viewKey, value);
    setViewSignal(value);
  };
  const today = () => wallTime(new Date(), zone());
  // The day the shown period is anchored on; moved by Previous / Next / Today.
  const [anchor, setAnchor] = createSignal<Pick<WallTime, 'year' | 'month' | 'day'> | null>(null);
  const shownAnchor = () => anchor() ?? today();
  const canSchedule = () => session.can('posts:schedule');

  const organizationId = () => session.organization()?.id ?? '';
  const brandId = () => session.brand()?.id ?? '';
  /** The days shown: a week from Monday, or the weeks covering the month. */
  const days = createMemo(() => {
    const start = shownAnchor();
    if (view() === 'month') {
      const first = { year: start.year, month: start.month, day: 1 };
      const gridStart = addDays(first, -weekday(first));
      const last = addDays({ year: start.year, month: start.month + 1, day: 1 }, -1);
      const count = Math.ceil((weekday(first) + last.day) / 7) * 7;
      return Array.from({ length: count }, (_, index) => addDays(gridStart, index));
    }
    const monday = addDays(start, -weekday(start));
    return Array.from({ length: 7 }, (_, index) => addDays(monday, index));
  });
  // The server reads the shown days only (in the shown zone), soonest first; the list reads
  // what is scheduled from now on.
  const shownRange = createMemo(() => {
    if (view() === 'list') {
      const now = wallTime(new Date(), zone());
      return { from: instantOf({ ...now, hour: 0, minute: 0 }, zone()).toISOString(), to: null };
    }
    const shown = days();
    const first = shown[0]!;
    const after = addDays(shown[shown.length - 1]!, 1);
    return {
      from: instantOf({ ...first, hour: 0, minute: 0 }, zone()).toISOString(),
      to: instantOf({ ...after, hour: 0, minute: 0 }, zone()).toISOString(),
    };
  });
  const [result, refetch] = createLiveQuery({
    query: CalendarDocument,
    variables: () => ({ organizationId: organizationId(), brandId: brandId(), ...shownRange() }),
    pause: () => !organizationId() || !brandId(),
  });
  onLiveEvent(
    { query: CalendarPostDocument, variables: () => ({ brandId: brandId() }), pause: () => !brandId() },
    refetch,
  );

  const posts = createMemo((): ScheduledPost[] =>
    (result.data?.organization?.posts.edges ?? [])
      .map((edge) => edge.node)
      .filter((post): post is ScheduledPost => !!post.scheduledAt)
      .sort((a, b) => Date.parse(a.scheduledAt) - Date.parse(b.scheduledAt)),
  );
  const byDay = createMemo(() => {
    const days = new Map<string, ScheduledPost[]>();
    for (const post of posts()) {
      const key = dayKey(wallTime(new Date(post.scheduledAt), zone()));
      days.set(key, [...(days.get(key) ?? []), post]);
    }
    return days;
  });

  const move = (direction: 1 | -1) => {
    const start = shownAnchor();
    setAnchor(
      view() === 'month' ? { year: start.year, month: start.month + direction, day: 1 } : addDays(start, 7 * direction),
    );
  };
  // Month arithmetic above may overflow (month 13); Date.UTC normalises it in addDays.
  const normalised = () => addDays(shownAnchor(), 0);
  const periodLabel = () => {
    const start = normalised();
    const date = new Date(Date.UTC(start.year, start.month - 1, start.day));
    if (view() === 'month') {
      return new Intl.DateTimeFormat(undefined, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(date);
    }
    const first = days()[0]!;
    const last = days()[6]!;
    const format = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
    return `${format.format(new Date(Date.UTC(first.year, first.month - 1, first.day)))} – ${format.format(
      new Date(Date.UTC(last.year, last.month - 1, last.day)),
    )}`;
  };
  const dayLabel = (day: Pick<WallTime, 'year' | 'month' | 'day'>) =>
    new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' }).format(
      new Date(Date.UTC(day.year, day.month - 1, day.day)),
    );
  const timeOf = (iso: string) =>
    new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', timeZone: zone() }).format(new Date(iso));
  const dateTimeOf = (iso: string) =>
    new Intl.DateTimeFormat(undefined, {
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
      timeZone: zone(),
      timeZoneName: 'short',
    }).format(new Date(iso));
  const hours = Array.from({ length: 24 }, (_, hour) => hour);
  const hourLabel = (hour: number) =>
    new Intl.DateTimeFormat(undefined, { hour: 'numeric', timeZone: 'UTC' }).format(
      new Date(Date.UTC(2000, 0, 1, hour)),
    );
  /** Hours since the shown day's midnight in the shown zone, e.g. 10.5 for 10:30. */
  const hourOf = (iso: string) => {
    const wall = wallTime(new Date(iso), zone());
    return wall.hour + wall.minute / 60;
  };
  /** The zone as a short name ("UTC", "GMT+1", "CET") for the corner of the hour grid. */
  const zoneShort = () =>
    new Intl.DateTimeFormat(undefined, { timeZone: zone(), timeZoneName: 'short' })
      .formatToParts(new Date())
      .find((part) => part.type === 'timeZoneName')?.value ?? zone();
  const titleOf = (post: ScheduledPost) => post.title || post.caption.slice(0, 50) || 'Untitled post';

  const [, reschedule] = createMutation(ReschedulePostDocument);
  const [, unschedule] = createMutation(UnschedulePostDocument);
  const doReschedule = async (post: ScheduledPost, at: Date) => {
    const answer = await reschedule({ id: post.id, scheduledAt: at.toISOString() });
    const outcome = outcomeOf(answer, answer.data?.reschedulePost);
    if (!outcome.ok) {
      notifyProblem(outcome.problem);
      return false;
    }
    notify(`“${titleOf(post)}” moved to ${dateTimeOf(at.toISOString())}`);
    refetch();
    return true;
  };
  const doUnschedule = async (post: ScheduledPost) => {
    const answer = await unschedule({ id: post.id });
    const outcome = outcomeOf(answer, answer.data?.unschedulePost);
    if (!outcome.ok) {
      notify(outcome.problem.message, 'error');
      return;
    }
    setOpened(null);
    notify(`“${titleOf(post)}” unscheduled; it is approved and waiting again`);
    refetch();
  };

  // Dragging: a post dropped on a day keeps its time of day there.
  const [dragging, setDragging] = createSignal<string | null>(null);
  const [dropTarget, setDropTarget] = createSignal<string | null>(null);
  const dropOn = (day: Pick<WallTime, 'year' | 'month' | 'day'>) => {
    const post = posts().find((candidate) => candidate.id === dragging());
    setDragging(null);
    setDropTarget(null);
    if (!post) return;
    const wall = wallTime(new Date(post.scheduledAt), zone());
    if (dayKey(wall) === dayKey(day)) return;
    void doReschedule(post, instantOf({ ...day, hour: wall.hour, minute: wall.minute }, zone()));
  };

  // The keyboard-usable way: a dialog with the time as a datetime-local in the shown zone.
  const [opened, setOpened] = createSignal<ScheduledPost | null>(null);
  const [when, setWhen] = createSignal('');
  const open = (post: ScheduledPost) => {
    setWhen(toZonedInput(new Date(post.scheduledAt), zone()));
    setOpened(post);
  };

  const Chip = (props: { post: ScheduledPost }) => (
    <button
      type="button"
      class="calendar-post"
      draggable={canSchedule()}
      data-post-id={props.post.id}
      onDragStart={(event) => {
        event.dataTransfer?.setData('text/plain', props.post.id);
        setDragging(props.post.id);
      }}
      onDragEnd={() => setDragging(null)}
      onClick={() => open(props.post)}
    >
      <span class="calendar-time num">{timeOf(props.post.scheduledAt)}</span>
      <span class="calendar-title">{titleOf(props.post)}</span>
      <span class="visually-hidden">
        , {dateTimeOf(props.post.scheduledAt)}
        {canSchedule() ? '; open to reschedule' : ''}
      </span>
    </button>
  );

  return (
    <>
      <PageHeader title="Calendar">
        <Show when={session.can('posts:write')}>
          <A class="button primary" href="/batches/new">
            New batch
          </A>
        </Show>
      </PageHeader>
      <div class="calendar-bar">
        <div class="segmented" role="group" aria-label="View">
          <For each={['week', 'month', 'list'] as const}>
            {(name) => (
              <button
                type="button"
                class="button"
                classList={{ selected: view() === name }}
                aria-pressed={view() === name}
                onClick={() => setView(name)}
              >
                {name[0]!.toUpperCase() + name.slice(1)}
              </button>
            )}
          </For>
        </div>
        <Show when={view() !== 'list'}>
          <div class="calendar-nav" role="group" aria-label="Period">
            <button type="button" class="button" aria-label={`Previous ${view()}`} onClick={() => move(-1)}>
              ‹
            </button>
            <button type="button" class="button" onClick={() => setAnchor(null)}>
              Today
            </button>
            <button type="button" class="button" aria-label={`Next ${view()}`} onClick={() => move(1)}>
              ›
            </button>
            <strong class="calendar-period" aria-live="polite">
              {periodLabel()}
            </strong>
          </div>
        </Show>
        <label class="calendar-zone">
          <span>Time zone</span>
          <select class="select" value={zone()} onChange={(event) => setZone(event.currentTarget.value)}>
            <For each={zones.includes(zone()) ? zones : [zone(), ...zones]}>
              {(name) => <option value={name}>{name.replaceAll('_', ' ')}</option>}
            </For>
          </select>
        </label>
      </div>
      <Show when={!result.error} fallback={<ProblemNotice problem={problemOf(result.error!)} onRetry={refetch} />}>
        <Show when={result.data} fallback={<Skeleton rows={6} label="Loading the calendar" />}>
          <Show when={posts().length === 0}>
            <Empty title="Nothing scheduled.">
              <p class="muted">Approved posts appear here once they are scheduled.</p>
              <A class="button" href="/">
                Schedule approved posts
              </A>
            </Empty>
          </Show>
          <Show
            when={view() !== 'list'}
            fallback={
              <Show when={posts().length > 0}>
                <Show when={(result.data?.organization?.posts.totalCount ?? 0) > posts().length}>
                  <p class="muted small">
                    The next {posts().length} of {result.data?.organization?.posts.totalCount} scheduled posts.
                  </p>
                </Show>
                <table class="table responsive" aria-label="Scheduled posts">
                  <thead>
                    <tr>
                      <th scope="col">Post</th>
                      <th scope="col">When ({zone()})</th>
                      <th scope="col">Networks</th>
                      <th scope="col" class="actions">
                        <span class="visually-hidden">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={posts()}>
                      {(post) => (
                        <tr>
                          <td>{titleOf(post)}</td>
                          <td data-label="When" class="num">
                            {dateTimeOf(post.scheduledAt)}
                          </td>
                          <td data-label="Networks">
                            {post.publications.map((publication) => publication.platform.toLowerCase()).join(', ') ||
                              '—'}
                          </td>
                          <td class="actions">
                            <button type="button" class="button" onClick={() => open(post)}>
                              {canSchedule() ? 'Reschedule' : 'Details'}
                            </button>
                          </td>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </Show>
            }
          >
            <Show when={view() === 'month'}>
              <div class="calendar-weekdays" aria-hidden="true">
                <For each={['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']}>{(name) => <span>{name}</span>}</For>
              </div>
            </Show>
            <div class="calendar-body" classList={{ week: view() === 'week' }}>
              <Show when={view() === 'week'}>
                <div class="hour-gutter" aria-hidden="true">
                  <span class="hour-zone" title={zone()}>
                    {zoneShort()}
                  </span>
                  <For each={hours}>{(hour) => <span class="hour-label num">{hourLabel(hour)}</span>}</For>
                </div>
              </Show>
              <ol
                class="calendar-grid"
                classList={{ month: view() === 'month' }}

                aria-label={`${periodLabel()} in ${zone()}`}
              >
                <For each={days()}>
                  {(day) => (
                    <li
                      class="calendar-day"
                      classList={{
                        today: dayKey(day) === dayKey(today()),
                        outside: view() === 'month' && day.month !== normalised().month,
                        'drop-target': dropTarget() === dayKey(day),
                      }}
                      data-day={dayKey(day)}
                      onDragOver={(event) => {
                        if (!dragging()) return;
                        event.preventDefault();
                        setDropTarget(dayKey(day));
                      }}
                      onDragLeave={() => setDropTarget(null)}
                      onDrop={(event) => {
                        event.preventDefault();
                        dropOn(day);
                      }}
                    >
                      <Show when={view() === 'month'} fallback={<span class="calendar-date">{dayLabel(day)}</span>}>
                        <span class="calendar-date">
                          <span aria-hidden="true">{day.day}</span>
                          <span class="visually-hidden">{dayLabel(day)}</span>
                        </span>
                      </Show>
                      <Show
                        when={view() === 'week'}
                        fallback={<For each={byDay().get(dayKey(day)) ?? []}>{(post) => <Chip post={post} />}</For>}
                      >
                        {/* Each post at its hour and minute in the shown zone. */}
                        <div class="day-hours">
                          <For each={byDay().get(dayKey(day)) ?? []}>
                            {(post) => (
                              <div class="hour-slot" style={{ '--at': String(hourOf(post.scheduledAt)) }}>
                                <Chip post={post} />
                              </div>
                            )}
                          </For>
                        </div>
                      </Show>
                    </li>
                  )}
                </For>
              </ol>
            </div>
          </Show>
        </Show>
      </Show>

      <Dialog open={!!opened()} onOpenChange={(isOpen) => !isOpen && setOpened(null)}>
        <Dialog.Portal>
          <Dialog.Overlay class="overlay" />
          <div class="dialog-position">
            <Dialog.Content class="dialog">
              <Show when={opened()}>
                {(post) => (
                  <>
                    <Dialog.Title class="dialog-title">{titleOf(post())}</Dialog.Title>
                    <Dialog.Description class="dialog-description">
                      Scheduled for {dateTimeOf(post().scheduledAt)}
                      {post().publications.length
                        ? ` on ${post()
                            .publications.map((publication) => publication.platform.toLowerCase())
                            .join(', ')}`
                        : ''}
                      .
                    </Dialog.Description>
                    <Show when={canSchedule()}>
                      <form
                        class="form"
                        onSubmit={(event) => {
                          event.preventDefault();
                          const at = fromZonedInput(when(), zone());
                          if (!at) return;
                          void doReschedule(post(), at).then((done) => done && setOpened(null));
                        }}
                      >
                        <div class="field">
                          <label for="reschedule-at">New time ({zone()})</label>
                          <input
                            id="reschedule-at"
                            class="input"
                            type="datetime-local"
                            required
                            value={when()}
                            onInput={(event) => setWhen(event.currentTarget.value)}
                          />
                        </div>
                        <div class="dialog-actions">
                          <ConfirmButton
                            label="Unschedule"
                            title="Unschedule this post?"
                            description={`“${titleOf(post())}” will not go out; it goes back to approved, ready to schedule again.`}
                            confirmLabel="Unschedule"
                            onConfirm={() => doUnschedule(post())}
                          />
                          <button type="submit" class="button primary">
                            Reschedule
                          </button>
                        </div>
                      </form>
                    </Show>
                    <Show when={!canSchedule()}>
                      <div class="dialog-actions">
                        <Dialog.CloseButton class="button">Close</Dialog.CloseButton>
                      </div>
                    </Show>
                  </>
                )}
              </Show>
            </Dialog.Content>
          </div>
        </Dialog.Portal>
      </Dialog>
    </>
  );
}
