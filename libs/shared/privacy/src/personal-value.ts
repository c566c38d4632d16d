// The marker types live in the kernel so pure deciders can use them; re-exported for convenience.
export {
  ERASED_PLACEHOLDER,
  erasedPersonalData,
  isErasedPersonalData,
  isPersonalData,
  isPersonalValue,
  personalData,
  type ErasedPersonalData,
  type PersonalData,
  type PersonalValue,
} from '@gongzhi/kernel';
