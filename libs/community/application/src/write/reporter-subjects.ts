import { randomUUID } from 'node:crypto';
import { Injectable, Optional } from '@nestjs/common';
import { InvalidCommunityInput, type ReporterInput } from '@gongzhi/community-domain';
import { personalData } from '@gongzhi/kernel';
import { BlindIndex, isValidMobile, normalizeMobile } from '@gongzhi/privacy';
import type { ReporterContact } from './commands';

/**
 * Turns a reporter's contact into a data subject: the subject already known under this mobile
 * (the privacy vault's blind index, so one resident's reports can be forgotten together) or a
 * new random subject id. Name and phone are wrapped as PersonalData, which the privacy
 * transformer encrypts under the subject's key before the append.
 */
@Injectable()
export class ReporterSubjects {
  constructor(@Optional() private readonly blindIndex?: BlindIndex) {}

  async reporter(contact: ReporterContact | null | undefined): Promise<ReporterInput | null> {
    if (!contact) return null;
    const name = contact.name?.trim() || null;
    const phoneRaw = contact.phone?.trim() || null;
    if (!name && !phoneRaw) return null;
    if (name && Array.from(name).length > 50) throw new InvalidCommunityInput('The reporter’s name is longer than 50 characters', { field: 'reporter.name' });
    if (phoneRaw && !/^[+\d\s()-]{5,20}$/.test(phoneRaw)) throw new InvalidCommunityInput('The reporter’s phone is not a phone number', { field: 'reporter.phone' });
    const mobile = phoneRaw && isValidMobile(phoneRaw) ? normalizeMobile(phoneRaw) : null;
    const subjectId = this.blindIndex && mobile ? (await this.blindIndex.subjectFor('mobile', mobile)).subjectId : randomUUID();
    return {
      subjectId,
      name: name ? personalData(subjectId, name) : null,
      phone: phoneRaw ? personalData(subjectId, mobile ?? phoneRaw) : null,
      confidential: contact.confidential ?? false,
      wantsReply: contact.wantsReply ?? false,
    };
  }
}
