/**
 * What RECIPES.md (and the vendors' guides) say each choice must yield, with the ids from Microsoft's
 * dump of the Microsoft Graph service principal. Adding a vendor adds rows here.
 */
export const ids: Record<string, string> = {
  'User.Read/D': 'e1fe6dd8-ba31-4d61-89e7-88639da4683d',
  'User.Read.All/A': 'df021288-bdef-4463-88db-98f22de89214',
  'User.Read.All/D': 'a154be20-db9c-4678-8ab7-66f6cc099a59',
  'Group.Read.All/A': '5b567255-7703-4780-807c-7be8301ae99b',
  'Calendars.Read/A': '798ee544-9d2d-430c-a058-570e29e34338',
  'Calendars.ReadWrite/A': 'ef54d2bf-783f-4e0f-bca1-3210c0444d99',
  'Mail.Read/A': '810c84a8-4a9e-49e6-bf7d-12d183f40d01',
  'Mail.ReadWrite/A': 'e2a3a72e-5f79-4c64-b1b1-878b674786c9',
  'Mail.Send/A': 'b633e1c5-b582-4048-a93e-9f11b44c7e96',
  'Mail.ReadWrite.Shared/D': '5df07973-7d5d-46ed-9847-1271055cbd51',
  'Mail.Send.Shared/D': 'a367ab51-6b49-43bf-a716-a1fb06d2a174',
  'Presence.Read.All/D': '9c7a330d-35b3-4aa1-963d-cb2b9f927841',
  'Presence.ReadWrite.All/A': '83cded22-8297-4ff6-a7fa-e97e9545a259',
  'User.ReadBasic.All/D': 'b340eb25-3456-403f-be2f-af7a0d370277',
  'Directory.AccessAsUser.All/D': '0e263e50-5827-48a4-b97c-d940288653c7',
  'Directory.Read.All/D': '06da0dbc-49e2-44d2-8312-53f166ab848a',
  'Directory.Read.All/A': '7ab1d382-f21e-4acd-a863-ba3e13f7da61',
};

export interface RecipeRow {
  text: string;
  /** Graph permissions only, as Name/A or Name/D. */
  graph: string[];
  /** The app's own scopes it grants itself. */
  self: string[];
  secret: boolean;
}

const cc = 'onboard cirrus connect domain=contoso.cirrus.example';
export const recipeRows: RecipeRow[] = [
  { text: `${cc} ad`, graph: ['User.Read/D', 'User.Read.All/A', 'Group.Read.All/A'], self: ['Unexus.Access'], secret: true },
  { text: `${cc} calendar`, graph: ['User.Read/D', 'Calendars.Read/A'], self: ['Unexus.Access'], secret: true },
  { text: `${cc} mail delegated`, graph: ['User.Read/D', 'Mail.ReadWrite.Shared/D', 'Mail.Send.Shared/D'], self: ['Unexus.Access'], secret: false },
  { text: `${cc} mail application`, graph: ['User.Read/D', 'Mail.ReadWrite/A', 'Mail.Send/A'], self: ['Unexus.Access'], secret: true },
  { text: `${cc} presence delegated without on-premises sync`, graph: ['User.Read/D', 'Presence.Read.All/D'], self: ['Unexus.Access'], secret: false },
  { text: `${cc} presence delegated with on-premises ad sync`, graph: ['User.Read/D', 'Presence.Read.All/D', 'User.Read.All/D'], self: ['Unexus.Access'], secret: false },
  { text: `${cc} presence application`, graph: ['User.Read/D', 'Presence.ReadWrite.All/A'], self: ['Unexus.Access'], secret: true },
  {
    text: `${cc} ad calendar mail application presence application`,
    graph: ['User.Read/D', 'User.Read.All/A', 'Group.Read.All/A', 'Calendars.Read/A', 'Mail.ReadWrite/A', 'Mail.Send/A', 'Presence.ReadWrite.All/A'],
    self: ['Unexus.Access'],
    secret: true,
  },
  { text: 'onboard cirrus insight calendar scheduling', graph: ['Calendars.Read/A', 'Calendars.ReadWrite/A', 'Mail.Read/A', 'Mail.ReadWrite/A'], self: [], secret: true },
  { text: 'onboard cirrus insight calendar sync', graph: ['Calendars.Read/A', 'Calendars.ReadWrite/A'], self: [], secret: true },
  { text: 'onboard cirrus insight email sync', graph: ['Mail.Read/A', 'Mail.ReadWrite/A'], self: [], secret: true },
  { text: 'onboard miradore', graph: ['User.Read.All/A', 'Group.Read.All/A'], self: [], secret: true },
  { text: 'onboard miradore without group filtering', graph: ['User.Read.All/A'], self: [], secret: true },
  {
    text: 'onboard securends',
    graph: ['User.Read/D', 'User.Read.All/D', 'User.ReadBasic.All/D', 'Directory.AccessAsUser.All/D', 'Directory.Read.All/D', 'User.Read.All/A', 'Directory.Read.All/A'],
    self: [],
    secret: true,
  },
];
