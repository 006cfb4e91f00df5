import { Navigate, Route, Router, useLocation, type RouteSectionProps } from '@solidjs/router';
import { Provider } from '@urql/solid';
import { lazy, Match, Switch } from 'solid-js';
import { render } from 'solid-js/web';
import { client } from './client';
import Shell from './components/Shell';
import { ProblemNotice, Skeleton } from './components/ui';
import { SessionProvider, useSession } from './session';
import './styles.css';

// Each screen is its own chunk: the first load carries only the frame and the screen opened.
const SignIn = lazy(() => import('./routes/SignIn'));
const SignUp = lazy(() => import('./routes/SignUp'));
const ResetPassword = lazy(() => import('./routes/ResetPassword'));
const AcceptInvite = lazy(() => import('./routes/AcceptInvite'));
const Home = lazy(() => import('./routes/Home'));
const NewBatch = lazy(() => import('./routes/NewBatch'));
const Batch = lazy(() => import('./routes/Batch'));
const Review = lazy(() => import('./routes/Review'));
const Publications = lazy(() => import('./routes/Publications'));
const Accounts = lazy(() => import('./routes/Accounts'));
const Inbox = lazy(() => import('./routes/Inbox'));
const Analytics = lazy(() => import('./routes/Analytics'));
const Calendar = lazy(() => import('./routes/Calendar'));
const Audit = lazy(() => import('./routes/Audit'));
const Team = lazy(() => import('./routes/Team'));
const Settings = lazy(() => import('./routes/Settings'));
const Brand = lazy(() => import('./routes/Brand'));
const Webhooks = lazy(() => import('./routes/Webhooks'));
const Library = lazy(() => import('./routes/Library'));
const Messages = lazy(() => import('./routes/Messages'));
const Ads = lazy(() => import('./routes/Ads'));
const AdsConnected = lazy(() => import('./routes/Ads').then((module) => ({ default: module.AdsConnected })));
const AdsInventory = lazy(() => import('./routes/AdsInventory'));
const AdsReport = lazy(() => import('./routes/AdsReport'));
const AdsJobs = lazy(() => import('./routes/AdsJobs'));
const AdsAlerts = lazy(() => import('./routes/AdsAlerts'));
const AdsJob = lazy(() => import('./routes/AdsJobs').then((module) => ({ default: module.AdsJob })));
const NotFound = lazy(() => import('./routes/NotFound'));

/** Signed-in screens: the sign-in page for anyone else, who comes back here afterwards. */
function SignedIn(props: RouteSectionProps) {
  const session = useSession();
  const location = useLocation();
  return (
    <Switch>
      <Match when={session.loading()}>
        <div class="center-page">
          <Skeleton rows={3} label="Loading your workspace" />
        </div>
      </Match>
      <Match when={session.problem()}>
        {(problem) => (
          <div class="center-page">
            <ProblemNotice problem={problem()} onRetry={() => session.refetch()} />
          </div>
        )}
      </Match>
      <Match when={!session.viewer()}>
        <Navigate href={`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`} />
      </Match>
      <Match when={session.viewer()}>
        <Shell>{props.children}</Shell>
      </Match>
    </Switch>
  );
}

function App(props: RouteSectionProps) {
  return (
    <Provider value={client}>
      <SessionProvider>{props.children}</SessionProvider>
    </Provider>
  );
}

render(
  () => (
    <Router root={App}>
      <Route path="/sign-in" component={SignIn} />
      <Route path="/sign-up" component={SignUp} />
      <Route path="/reset-password" component={ResetPassword} />
      <Route path="/" component={SignedIn}>
        <Route path="/" component={Home} />
        <Route path="/batches/new" component={NewBatch} />
        <Route path="/batches/:id" component={Batch} />
        <Route path="/review" component={Review} />
        <Route path="/publications" component={Publications} />
        <Route path="/accounts" component={Accounts} />
        <Route path="/inbox" component={Inbox} />
        <Route path="/accept-invite" component={AcceptInvite} />
        <Route path="/analytics" component={Analytics} />
        <Route path="/calendar" component={Calendar} />
        <Route path="/audit" component={Audit} />
        <Route path="/team" component={Team} />
        <Route path="/settings" component={Settings} />
        <Route path="/brand" component={Brand} />
        <Route path="/webhooks" component={Webhooks} />
        <Route path="/library" component={Library} />
        <Route path="/messages" component={Messages} />
        <Route path="/ads" component={Ads} />
        <Route path="/ads/connected" component={AdsConnected} />
        <Route path="/ads/inventory" component={AdsInventory} />
        <Route path="/ads/report" component={AdsReport} />
        <Route path="/ads/jobs" component={AdsJobs} />
        <Route path="/ads/alerts" component={AdsAlerts} />
        <Route path="/ads/jobs/:id" component={AdsJob} />
        <Route path="*" component={NotFound} />
      </Route>
    </Router>
  ),
  document.getElementById('app')!,
);
