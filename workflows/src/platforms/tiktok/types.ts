export type TikTokPrivacyLevel = 'PUBLIC_TO_EVERYONE' | 'MUTUAL_FOLLOW_FRIENDS' | 'FOLLOWER_OF_CREATOR' | 'SELF_ONLY';

export type TikTokPublishStatus =
  'PROCESSING_UPLOAD' | 'PROCESSING_DOWNLOAD' | 'SEND_TO_USER_INBOX' | 'PUBLISH_COMPLETE' | 'FAILED';

export interface TikTokTokens {
  accessToken: string;
  refreshToken: string;
  openId: string;
  scopes: string[];
  accessTokenExpiresAt: Date;
  refreshTokenExpiresAt: Date;
}

export interface TikTokUser {
  open_id?: string;
  union_id?: string;
  avatar_url?: string;
  display_name?: string;
  bio_description?: string;
  profile_deep_link?: string;
  is_verified?: boolean;
  username?: string;
  follower_count?: number;
  following_count?: number;
  likes_count?: number;
  video_count?: number;
}

export const userFields = {
  basic: ['open_id', 'union_id', 'avatar_url', 'display_name'],
  profile: ['bio_description', 'profile_deep_link', 'is_verified', 'username'],
  stats: ['follower_count', 'following_count', 'likes_count', 'video_count'],
} as const;

export interface TikTokVideo {
  id: string;
  create_time?: number;
  cover_image_url?: string;
  share_url?: string;
  video_description?: string;
  duration?: number;
  title?: string;
  like_count?: number;
  comment_count?: number;
  share_count?: number;
  view_count?: number;
}

export const videoFields = [
  'id',
  'create_time',
  'cover_image_url',
  'share_url',
  'video_description',
  'duration',
  'title',
  'like_count',
  'comment_count',
  'share_count',
  'view_count',
] as const;

export interface TikTokVideoPage {
  videos: TikTokVideo[];
  cursor: number;
  has_more: boolean;
}

export interface TikTokCreatorInfo {
  creator_avatar_url: string;
  creator_username: string;
  creator_nickname: string;
  privacy_level_options: TikTokPrivacyLevel[];
  comment_disabled: boolean;
  duet_disabled: boolean;
  stitch_disabled: boolean;
  max_video_post_duration_sec: number;
}

export interface TikTokVideoPostInfo {
  title?: string;
  privacy_level: TikTokPrivacyLevel;
  disable_duet?: boolean;
  disable_comment?: boolean;
  disable_stitch?: boolean;
  video_cover_timestamp_ms?: number;
  brand_content_toggle?: boolean;
  brand_organic_toggle?: boolean;
  is_aigc?: boolean;
}

export interface TikTokPhotoPostInfo {
  title?: string;
  description?: string;
  privacy_level?: TikTokPrivacyLevel;
  disable_comment?: boolean;
  auto_add_music?: boolean;
  brand_content_toggle?: boolean;
  brand_organic_toggle?: boolean;
}

export interface TikTokPublishStatusResult {
  status: TikTokPublishStatus;
  fail_reason?: string;
  /** Post ids; strings from the client, which reads them exactly. */
  publicaly_available_post_id?: Array<number | string>;
  uploaded_bytes?: number;
  downloaded_bytes?: number;
}
