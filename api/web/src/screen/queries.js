// The four views the big screen follows, each a subscription of the public API: its first
// message is the view as it stands, then one each time it changes (and at midnight).

export const OVERVIEW = `subscription Overview {
  supervisionOverview {
    asOf
    channels {
      channel received open overdue returned rectified signForOverdue returnOverdue
      rectificationRate onTimeRate satisfactionRate rewards rewardYuan meanReplyWorkingDays
    }
    league { rank score verdict period unit { name } }
    publishedScores {
      quarter publishedOn publications formula { version }
      entries { rank score unit { name } enterpriseRating { mean evaluations } }
    }
    monthly { month received closed overdue }
  }
}`;

export const LEGACY = `subscription Legacy {
  legacyIssueTotals {
    asOf total baseline newSinceBaseline resolved suspended remaining resolutionRate
    targets {
      year goal due requiredResolvedPercent dueIssues resolved resolvedPercent met shortfalls
    }
    monthly { month registered resolved totalToDate resolvedToDate }
  }
}`;

export const BOARD = `subscription Board {
  taskBoard {
    asOf open
    byLight { light count }
    byTier { tier count }
    attention { id number planYear title leadUnits deadline light tier progress }
  }
}`;

export const OVERSIGHT = `subscription Oversight {
  oversightTotals {
    asOf interviews referrals
    interviewsByState { state count }
    referralsByState { state count }
    monthly { month interviews referrals }
  }
}`;
