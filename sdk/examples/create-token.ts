// Makes an API token for the examples on a local `npm start`: signs in as the demo owner
// (people sign in; tokens are made by people) and asks for a token with the scopes given.
//   pnpm exec tsx sdk/examples/create-token.ts            # prints PRESSROOM_TOKEN=prt_...
const url = process.env.PRESSROOM_URL ?? 'http://127.0.0.1:4000';
const email = process.env.PRESSROOM_EMAIL ?? 'owner@demo.pressroom.test';
const password = process.env.PRESSROOM_PASSWORD;
if (!password) throw new Error('Set PRESSROOM_PASSWORD to the demo password `npm start` printed.');
const scopes = (
  process.env.PRESSROOM_SCOPES ??
  'BRANDS_READ,POSTS_READ,POSTS_WRITE,POSTS_REVIEW,POSTS_SCHEDULE,PUBLISH_RETRY,ANALYTICS_READ,AUDIT_READ,MEMBERS_READ,ORG_READ'
).split(',');

interface Answer {
  __typename?: string;
  message?: string;
  data?: { token: string };
}

async function graphql<T>(query: string, variables: Record<string, unknown>, cookie?: string) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: Array<{ message: string }> };
  if (body.errors?.length) throw new Error(body.errors[0]!.message);
  return { data: body.data!, cookie: response.headers.getSetCookie()[0]?.split(';')[0] };
}

const signIn = await graphql<{ signIn: Answer }>(
  `
    mutation ($email: String!, $password: String!) {
      signIn(email: $email, password: $password) {
        __typename
        ... on Error {
          message
        }
      }
    }
  `,
  { email, password },
);
if (signIn.data.signIn.__typename !== 'MutationSignInSuccess') throw new Error(signIn.data.signIn.message);
const { data } = await graphql<{ organizations: Array<{ id: string }> }>(
  `
    {
      organizations {
        id
      }
    }
  `,
  {},
  signIn.cookie,
);
const organization = data.organizations[0];
if (!organization) throw new Error(`${email} belongs to no organization.`);
const created = await graphql<{ createApiToken: Answer }>(
  `
    mutation ($org: ID!, $scopes: [ApiTokenScope!]!) {
      createApiToken(organizationId: $org, name: "sdk examples", scopes: $scopes) {
        __typename
        ... on Error {
          message
        }
        ... on MutationCreateApiTokenSuccess {
          data {
            token
          }
        }
      }
    }
  `,
  { org: organization.id, scopes },
  signIn.cookie,
);
if (!created.data.createApiToken.data) throw new Error(created.data.createApiToken.message);
console.log(`PRESSROOM_TOKEN=${created.data.createApiToken.data.token}`);
